import AuditVerifier from '#services/audit_verifier'
import type { ScheduledJob } from '#jobs/job'

/**
 * Nightly check of the audit log's hash chain; a good result becomes a
 * checkpoint so later truncation is noticed too.
 */
export default class VerifyAuditChainJob implements ScheduledJob {
  readonly name = 'audit-verify'
  readonly schedule = '30 2 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const result = await AuditVerifier.verify({ checkpoint: true })
    if (!result.ok) {
      throw new Error(`audit chain broken: ${result.problems.map((p) => p.message).join('; ')}`)
    }
    return `${result.checked} entries verified`
  }
}
