import { Job } from '@rlanz/bull-queue'
import logger from '@adonisjs/core/services/logger'
import FailedJobs from '#services/jobs/failed_jobs'

/** What the failed-jobs page may show of a payload. */
export interface JobSummary {
  subject: string | null
  recipients: number
}

/**
 * A job run by the queue (BullMQ on Redis, or in the web process without Redis: see JobQueue).
 * Subclasses give `static get $$filepath() { return import.meta.url }` and `handle(payload)`.
 * A job that still fails after its attempts is kept in `failed_jobs` (payload encrypted) for the
 * administrators' failed-jobs page; BullMQ calls `rescue` on the last failure, and so does the
 * in-process queue.
 */
export default abstract class QueuedJob<Payload = unknown> extends Job {
  /**
   * `default`: mails and scheduled ticks, short. `tasks`: imports, exports and indexing, long;
   * their own queue, so that a mail never waits behind an export.
   */
  static readonly queueName: string = 'default'

  abstract handle(payload: Payload): Promise<void>

  /** Non-personal summary of a payload for the failed-jobs page (e.g. a mail's subject). */
  describe(_payload: Payload): JobSummary | null {
    return null
  }

  /** Last failure: recorded for the administrators; never throws (BullMQ calls it from an event). */
  async rescue(payload: Payload, error: Error): Promise<void> {
    const job = this.getJob()
    try {
      await FailedJobs.record({
        queue: job.queueName,
        job: job.name,
        payload,
        attempts: job.attemptsMade,
        error,
      })
    } catch (recordError) {
      logger.error({ err: recordError, job: job.name }, 'failed job could not be recorded')
    }
  }
}
