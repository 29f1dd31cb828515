import type { ScheduledJob } from '#jobs/job'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'

/**
 * Every scheduled job. start/scheduler.ts schedules them in the web process.
 */
export function scheduledJobs(): ScheduledJob[] {
  return [new VerifyAuditChainJob()]
}
