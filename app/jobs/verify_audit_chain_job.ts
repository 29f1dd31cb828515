import { existsSync } from 'node:fs'
import env from '#start/env'
import AuditVerifier from '#services/audit_verifier'
import type { ScheduledJob } from '#jobs/job'

/**
 * Nightly check of the audit log's keyed hash chain; a good result becomes a
 * signed checkpoint so later truncation is noticed too. With
 * AUDIT_CHECKPOINT_FILE set (a path outside the database, ideally on other
 * storage), the run is also checked against the previous night's exported
 * checkpoint and then writes the new one there.
 */
export default class VerifyAuditChainJob implements ScheduledJob {
  readonly name = 'audit-verify'
  readonly schedule = '30 2 * * *'
  readonly leaseMs = 30 * 60 * 1000

  constructor(
    private readonly checkpointFile: string | undefined = env.get('AUDIT_CHECKPOINT_FILE')
  ) {}

  async run(): Promise<string> {
    const file = this.checkpointFile?.trim() || null
    const against = file && existsSync(file) ? await AuditVerifier.readCheckpointFile(file) : null
    const result = await AuditVerifier.verify({ checkpoint: true, against })
    if (!result.ok) {
      throw new Error(`audit chain broken: ${result.problems.map((p) => p.message).join('; ')}`)
    }
    if (file && result.recorded) await AuditVerifier.writeCheckpointFile(file, result.recorded)
    const exported = file
      ? against
        ? ', exported checkpoint matches'
        : ', no previous exported checkpoint'
      : ''
    return `${result.checked} entries verified${exported}`
  }
}
