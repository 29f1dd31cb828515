import app from '@adonisjs/core/services/app'
import type { ScheduledJob } from '#jobs/job'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'
import RefreshDutiesJob from '#jobs/oversight/refresh_duties_job'
import DutyRemindersJob from '#jobs/oversight/duty_reminders_job'
import OpinionAlertsJob from '#jobs/opinions/opinion_alerts_job'
import CallCenterRetentionJob from '#jobs/opinions/call_center_retention_job'

/** Every scheduled job class. start/scheduler.ts schedules them in the web process. */
export const SCHEDULED_JOBS = [
  VerifyAuditChainJob,
  RefreshDutiesJob,
  DutyRemindersJob,
  OpinionAlertsJob,
  CallCenterRetentionJob,
] as const

/**
 * Every scheduled job, made by the container, so a job gets its Clock,
 * Mailer or Disk injected (and a test's swap of them).
 */
export async function scheduledJobs(): Promise<ScheduledJob[]> {
  return Promise.all(SCHEDULED_JOBS.map((job) => app.container.make(job)))
}
