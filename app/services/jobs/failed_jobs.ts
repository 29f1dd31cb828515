import { fileURLToPath, pathToFileURL } from 'node:url'
import { relative, sep } from 'node:path'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import FailedJob from '#models/failed_job'
import fieldEncryption from '#services/field_encryption'
import type QueuedJob from '#jobs/queued_job'
import type { JobSummary } from '#jobs/queued_job'

/** A job class as the queue knows it: its module URL and a constructor. */
export interface QueuedJobClass<Payload = any> {
  readonly $$filepath: string
  /** The queue the job goes to unless the dispatch names one (QueuedJob.queueName). */
  readonly queueName?: string
  new (...args: any[]): QueuedJob<Payload>
}

/** Error messages are kept short: a stack or a server's whole answer is not needed. */
const ERROR_LENGTH = 2000

/**
 * The `failed_jobs` table: jobs that still failed after their retries, with the payload encrypted
 * by the field encryption service (it may hold a citizen's address and message).
 */
export default class FailedJobs {
  /** Records a job's last failure. */
  static async record(failure: {
    queue: string
    job: string
    payload: unknown
    attempts: number
    error: Error | string
  }): Promise<FailedJob> {
    const message = failure.error instanceof Error ? failure.error.message : failure.error
    return FailedJob.create({
      queue: failure.queue,
      job: failure.job,
      payloadEncrypted: fieldEncryption.encrypt(JSON.stringify(failure.payload ?? null)),
      attempts: failure.attempts,
      error: (message || 'unknown error').slice(0, ERROR_LENGTH),
      failedAt: DateTime.now(),
      retriedAt: null,
    })
  }

  /** The payload as it was dispatched. */
  static payloadOf(failed: FailedJob): unknown {
    return JSON.parse(fieldEncryption.decrypt(failed.payloadEncrypted))
  }

  /** The job's class, imported from its recorded module (only modules of this app). */
  static async jobClassOf(failed: FailedJob): Promise<QueuedJobClass> {
    const file = failed.job.startsWith('file:') ? fileURLToPath(failed.job) : failed.job
    const inApp = relative(app.makePath(), file)
    if (inApp.startsWith('..') || inApp.split(sep)[0] === 'node_modules') {
      throw new Error(`Job module outside the application: ${failed.job}`)
    }
    const { default: jobClass } = await import(pathToFileURL(file).href)
    if (
      typeof jobClass?.$$filepath !== 'string' ||
      typeof jobClass.prototype?.handle !== 'function'
    )
      throw new Error(`Not a job class: ${failed.job}`)
    return jobClass
  }

  /** Where the job class lives, relative to the app (for the page). */
  static displayName(failed: FailedJob): string {
    const file = failed.job.startsWith('file:') ? fileURLToPath(failed.job) : failed.job
    const inApp = relative(app.makePath(), file)
    return inApp.startsWith('..') ? failed.job : inApp.split(sep).join('/')
  }

  /** Non-personal summary of the payload (a mail's subject and recipient count), or null. */
  static async describe(failed: FailedJob): Promise<JobSummary | null> {
    try {
      const jobClass = await FailedJobs.jobClassOf(failed)
      return new jobClass().describe(FailedJobs.payloadOf(failed))
    } catch {
      return null
    }
  }
}
