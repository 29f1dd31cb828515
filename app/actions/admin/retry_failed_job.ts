import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import type FailedJob from '#models/failed_job'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import FailedJobs from '#services/jobs/failed_jobs'
import JobQueue from '#services/jobs/job_queue'

/** Back to the list with the message. */
const backToList = { redirectTo: { route: 'admin.failed_jobs.index' } }

/**
 * Dispatches a failed job again, with its payload and queue, and marks it retried (once: a retry
 * that fails again is a new row). Audited without the payload.
 */
@inject()
export default class RetryFailedJob {
  constructor(private auditLog: AuditLogger) {}

  async handle(failed: FailedJob): Promise<void> {
    if (failed.retriedAt) throw new DomainError('admin.failed_jobs.already_retried', backToList)
    let jobClass
    let payload
    try {
      jobClass = await FailedJobs.jobClassOf(failed)
      payload = FailedJobs.payloadOf(failed)
    } catch {
      throw new DomainError('admin.failed_jobs.cannot_retry', backToList)
    }
    await JobQueue.dispatch(jobClass, payload, { queueName: failed.queue })
    failed.retriedAt = DateTime.now()
    await failed.save()
    await this.auditLog.record({
      action: 'failed_job.retry',
      subject: { type: 'failed_job', id: failed.id },
      details: { queue: failed.queue, job: FailedJobs.displayName(failed) },
    })
  }
}
