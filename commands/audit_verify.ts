import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description =
    'Verify the keyed hash chain of the audit log and its signed checkpoints (exit code 1 when it was tampered with)'
  static help = [
    'Keep an exported checkpoint outside the database (another machine, the backup set, a print-out of its',
    'signature): checking against it notices entries cut off the end even if the checkpoints were cut too.',
    '  node ace audit:verify --export /secure/audit-checkpoint.json',
    '  node ace audit:verify --checkpoint-file /secure/audit-checkpoint.json',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Record the verified head as a signed checkpoint' })
  declare checkpoint: boolean

  @flags.string({
    description:
      'Record a signed checkpoint and write it to this file (keep it outside the database)',
  })
  declare export?: string

  @flags.string({
    description: 'Also check an exported checkpoint file (catches entries removed after it)',
  })
  declare checkpointFile?: string

  async run() {
    const { default: AuditVerifier } = await import('#services/audit_verifier')

    let against = null
    if (this.checkpointFile) {
      try {
        against = await AuditVerifier.readCheckpointFile(this.checkpointFile)
      } catch (error) {
        this.logger.error((error as Error).message)
        this.exitCode = 1
        return
      }
    }

    const result = await AuditVerifier.verify({
      checkpoint: this.checkpoint || Boolean(this.export),
      against,
    })
    if (!result.ok) {
      for (const problem of result.problems) {
        this.logger.error(problem.message)
      }
      this.logger.error(
        `audit log TAMPERED: ${result.problems.length} problem(s) in ${result.checked} entries`
      )
      this.exitCode = 1
      return
    }

    this.logger.success(`audit log intact: ${result.checked} entries verified`)
    if (against) {
      this.logger.info(
        `exported checkpoint (entry ${against.lastEntryId}, ${against.createdAt}) matches`
      )
    }
    if (this.export) {
      if (!result.recorded) {
        this.logger.error('the audit log is empty: there is no checkpoint to export')
        this.exitCode = 1
        return
      }
      await AuditVerifier.writeCheckpointFile(this.export, result.recorded)
      this.logger.info(
        `signed checkpoint at entry ${result.recorded.lastEntryId} written to ${this.export}`
      )
    }
  }
}
