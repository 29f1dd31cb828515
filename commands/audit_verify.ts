import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description = 'Verify the hash chain of the audit log (exit code 1 when it was tampered with)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Record the verified head as a checkpoint' })
  declare checkpoint: boolean

  async run() {
    const { default: AuditVerifier } = await import('#services/audit_verifier')
    const result = await AuditVerifier.verify({ checkpoint: this.checkpoint })
    if (result.ok) {
      this.logger.success(`audit log intact: ${result.checked} entries verified`)
      return
    }
    for (const problem of result.problems) {
      this.logger.error(problem.message)
    }
    this.logger.error(`audit log TAMPERED: ${result.problems.length} problem(s) in ${result.checked} entries`)
    this.exitCode = 1
  }
}
