import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import QueuedJob from '#jobs/queued_job'
import { scheduledJobs } from '#jobs/registry'
import JobRunner from '#services/jobs/job_runner'

export interface ScheduledTickPayload {
  /** The scheduled job's name (ScheduledJob.name). */
  job: string
  /** The tick node-cron fired, ISO. */
  tick: string
}

/**
 * One tick of a scheduled job (reminders, retention, alerts, the audit check…), queued by the
 * scheduler of each web process: with Redis it runs in a `queue:listen` worker, not in the web
 * process. Every instance queues the same tick; JobRunner's locks run it once. A tick that
 * fails is not retried by the queue (the job records its failure; the next tick runs again).
 */
export default class ScheduledTickJob extends QueuedJob<ScheduledTickPayload> {
  static get $$filepath() {
    return import.meta.url
  }

  async handle({ job: name, tick: iso }: ScheduledTickPayload) {
    const jobs = await scheduledJobs()
    const job = jobs.find((candidate) => candidate.name === name)
    if (!job) throw new Error(`no scheduled job named ${name}`)
    const runner = await app.container.make(JobRunner)
    const tick = DateTime.fromISO(iso)
    const outcome = await runner.runTick(job.name, job.leaseMs, () => job.run(), tick)
    logger.info({ job: job.name, tick: iso, ...outcome }, 'scheduled job')
  }
}
