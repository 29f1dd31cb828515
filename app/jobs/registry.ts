import type { ScheduledJob } from '#jobs/job'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'
import RefreshDutiesJob from '#jobs/oversight/refresh_duties_job'
import DutyRemindersJob from '#jobs/oversight/duty_reminders_job'
import OpinionAlertsJob from '#jobs/opinions/opinion_alerts_job'
import CallCenterRetentionJob from '#jobs/opinions/call_center_retention_job'

/**
 * Every scheduled job. start/scheduler.ts schedules them in the web process.
 */
export function scheduledJobs(): ScheduledJob[] {
  return [new VerifyAuditChainJob(), new RefreshDutiesJob(), new DutyRemindersJob(), new OpinionAlertsJob(), new CallCenterRetentionJob()]
}
