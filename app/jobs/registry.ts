import cron from 'node-cron'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import type { ScheduledJob } from '#jobs/job'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'
import RefreshDutiesJob from '#jobs/oversight/refresh_duties_job'
import DutyRemindersJob from '#jobs/oversight/duty_reminders_job'
import OpinionAlertsJob from '#jobs/opinions/opinion_alerts_job'
import CallCenterRetentionJob from '#jobs/opinions/call_center_retention_job'
import PruneBackgroundTasksJob from '#jobs/tasks/prune_background_tasks_job'
import ApprovalEscalationsJob from '#jobs/approvals/approval_escalations_job'

/** Every scheduled job class. start/scheduler.ts schedules them in the web process. */
export const SCHEDULED_JOBS = [
  VerifyAuditChainJob,
  RefreshDutiesJob,
  DutyRemindersJob,
  OpinionAlertsJob,
  CallCenterRetentionJob,
  PruneBackgroundTasksJob,
  ApprovalEscalationsJob,
] as const

/**
 * Every scheduled job, made by the container, so a job gets its Clock,
 * Mailer or Disk injected (and a test's swap of them), on the schedule
 * JOB_SCHEDULES gives it, if any.
 */
export async function scheduledJobs(): Promise<ScheduledJob[]> {
  const jobs = await Promise.all(SCHEDULED_JOBS.map((job) => app.container.make(job)))
  const schedules = scheduleOverrides(
    env.get('JOB_SCHEDULES'),
    jobs.map((job) => job.name)
  )
  for (const job of jobs) {
    const schedule = schedules.get(job.name)
    if (schedule) Object.assign(job, { schedule })
  }
  return jobs
}

/** The schedule of a job that JOB_SCHEDULES switched off: never timed, still runnable by hand. */
export const OFF = 'off'

/**
 * JOB_SCHEDULES: other times for scheduled jobs, `name=cron expression` separated by `;`
 * (`audit-verify=0 4 * * *;duties-refresh=30 0 * * *`, Asia/Tokyo). A six-field expression
 * starts with seconds. `name=off` times the job no more (`node ace jobs:run` still runs it);
 * `*` stands for every job not named (`*=off;audit-verify=0 4 * * *`: this instance times the
 * audit check only). An unknown job or a malformed expression stops the start.
 */
export function scheduleOverrides(
  value: string | undefined,
  names: readonly string[]
): Map<string, string> {
  const schedules = new Map<string, string>()
  let others: string | undefined
  for (const entry of (value ?? '').split(';')) {
    if (!entry.trim()) continue
    const at = entry.indexOf('=')
    const name = entry.slice(0, Math.max(at, 0)).trim()
    const schedule = entry.slice(at + 1).trim()
    if (at < 0 || (name !== '*' && !names.includes(name))) {
      throw new Error(
        `JOB_SCHEDULES: "${entry.trim()}" does not name a scheduled job (${names.join(', ')}, or * for every other)`
      )
    }
    if (schedule !== OFF && !cron.validate(schedule)) {
      throw new Error(`JOB_SCHEDULES: "${schedule}" is not a cron expression or off (job ${name})`)
    }
    if (name === '*') others = schedule
    else schedules.set(name, schedule)
  }
  if (others !== undefined) {
    for (const name of names) if (!schedules.has(name)) schedules.set(name, others)
  }
  return schedules
}
