import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import FailedJobs, { type QueuedJobClass } from '#services/jobs/failed_jobs'
import { ResponsesInProgress } from '#services/jobs/responses_in_progress'
import type QueuedJob from '#jobs/queued_job'

export type { QueuedJobClass }

export interface Backoff {
  type: 'exponential' | 'fixed'
  /** Milliseconds before the first retry (doubled before each further one when exponential). */
  delay: number
}

export interface DispatchOptions {
  /** Queue name (default: the job class's queueName); tests use their own. */
  queueName?: string
  /** Attempts in all, first run included (default: config/queue.ts). */
  attempts?: number
  backoff?: Backoff
}

/** The part of a BullMQ job that `Job` reads (getId, getAttempts, getFailedReason...). */
interface InProcessJobRecord {
  id: string
  name: string
  queueName: string
  data: unknown
  attemptsMade: number
  delay: number
  failedReason?: string
  opts: { attempts: number; backoff: Backoff }
}

interface Entry {
  jobClass: QueuedJobClass
  record: InProcessJobRecord
  timer: NodeJS.Timeout | NodeJS.Immediate | null
  running: boolean
  /** Holds one of its queue's places (from its start until the attempt ends). */
  placed: boolean
}

/** The delay before retry number `attemptsMade` (1 = the first retry), as BullMQ computes it. */
export function backoffDelay(backoff: Backoff, attemptsMade: number): number {
  return backoff.type === 'fixed'
    ? backoff.delay
    : Math.round(2 ** Math.max(0, attemptsMade - 1) * backoff.delay)
}

/**
 * Jobs of one queue running at once in the web process. Long tasks go one at a time: fifteen
 * index jobs of an import started together held every database connection of the pool, and
 * pages waited seconds for one.
 */
const IN_PROCESS_CONCURRENCY: Record<string, number> = { tasks: 1 }
const DEFAULT_IN_PROCESS_CONCURRENCY = 4

/**
 * Runs the same job classes in the web process when there is no Redis: each one after the
 * response of the request that dispatched it (never inside it), a few at a time per queue,
 * retried with the backoff of config/queue.ts, and recorded in `failed_jobs` (through the
 * job's `rescue`) when its attempts are used up.
 */
class InProcessQueue {
  #entries = new Set<Entry>()
  #idleWaiters: Array<() => void> = []
  /** Per queue: jobs running, and jobs ready to run waiting for a free place. */
  #running = new Map<string, number>()
  #ready = new Map<string, Entry[]>()

  add(
    jobClass: QueuedJobClass,
    payload: unknown,
    queueName: string,
    attempts: number,
    backoff: Backoff
  ) {
    const record: InProcessJobRecord = {
      id: randomUUID(),
      name: jobClass.$$filepath,
      queueName,
      data: payload,
      attemptsMade: 0,
      delay: 0,
      opts: { attempts, backoff },
    }
    const entry: Entry = { jobClass, record, timer: null, running: false, placed: false }
    this.#entries.add(entry)
    ResponsesInProgress.afterCurrent(() => this.#schedule(entry))
    return { id: record.id }
  }

  /** Jobs not finished yet (waiting, running or waiting for a retry). */
  get size(): number {
    return this.#entries.size
  }

  /** Resolves once every job dispatched so far (and their retries) has finished. */
  idle(): Promise<void> {
    if (this.#entries.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /**
   * Shutdown: waits up to `timeoutMs` for the jobs to finish; a job still waiting (for its start
   * or a retry) is then recorded as failed, so that no mail is lost, and can be retried.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#entries.size === 0) return
    let timeout: NodeJS.Timeout | undefined
    await Promise.race([
      this.idle(),
      new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs))),
    ])
    clearTimeout(timeout)
    for (const entry of [...this.#entries]) {
      if (entry.running) continue
      this.#cancel(entry)
      const { record } = entry
      await FailedJobs.record({
        queue: record.queueName,
        job: record.name,
        payload: record.data,
        attempts: record.attemptsMade,
        error: record.failedReason
          ? `${record.failedReason} (stopped before its next attempt: the server shut down)`
          : 'not run: the server shut down first',
      }).catch((error) => logger.error({ err: error }, 'pending job could not be recorded'))
      this.#finish(entry)
    }
  }

  /**
   * Tests: drops every job that has not started (or waits for a retry), then waits up to
   * `timeoutMs` for the attempts under way, their `rescue` included. A test's jobs then never
   * write after its transaction is rolled back (a failed mail would land in `failed_jobs`).
   */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.#entries.size > 0 && Date.now() < deadline) {
      // In one synchronous pass: a ready job that a cancel lets in is dropped before it starts.
      for (const entry of [...this.#entries]) {
        if (entry.placed && !entry.timer) continue
        this.#cancel(entry)
        this.#finish(entry)
      }
      if (this.#entries.size > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** Runs the entry as soon as its queue has a free place. */
  #schedule(entry: Entry) {
    // Dropped while it waited for its request's response (drain, settle).
    if (!this.#entries.has(entry)) return
    const queue = entry.record.queueName
    const running = this.#running.get(queue) ?? 0
    if (running >= (IN_PROCESS_CONCURRENCY[queue] ?? DEFAULT_IN_PROCESS_CONCURRENCY)) {
      this.#ready.set(queue, [...(this.#ready.get(queue) ?? []), entry])
      return
    }
    this.#running.set(queue, running + 1)
    entry.placed = true
    entry.timer = setImmediate(() => this.#attempt(entry))
  }

  /** An attempt ended (done, failed, or waiting for its retry): the next ready job takes its place. */
  #release(entry: Entry) {
    if (!entry.placed) return
    entry.placed = false
    const queue = entry.record.queueName
    this.#running.set(queue, (this.#running.get(queue) ?? 1) - 1)
    const next = this.#ready.get(queue)?.shift()
    if (next) this.#schedule(next)
  }

  async #attempt(entry: Entry) {
    entry.timer = null
    entry.running = true
    const { record } = entry
    let job: QueuedJob
    try {
      job = await app.container.make(entry.jobClass)
      job.$injectInternal({ job: record as any, logger })
      await app.container.call(job, 'handle', [record.data])
    } catch (error) {
      record.attemptsMade++
      record.failedReason = error instanceof Error ? error.message : String(error)
      entry.running = false
      if (record.attemptsMade < record.opts.attempts) {
        const wait = backoffDelay(record.opts.backoff, record.attemptsMade)
        logger.info(
          { job: record.name, attempt: record.attemptsMade, retryInMs: wait },
          `job failed, retrying: ${record.failedReason}`
        )
        entry.timer = setTimeout(() => {
          entry.timer = null
          this.#schedule(entry)
        }, wait)
        this.#release(entry)
        return
      }
      logger.error({ err: error, job: record.name, attempts: record.attemptsMade }, 'job failed')
      try {
        // Same as BullMQ: the job's rescue records the failure.
        job ??= await app.container.make(entry.jobClass)
        job.$injectInternal({ job: record as any, logger })
        await job.rescue(record.data, error instanceof Error ? error : new Error(String(error)))
      } catch (rescueError) {
        logger.error({ err: rescueError, job: record.name }, 'job rescue failed')
      }
      this.#release(entry)
      this.#finish(entry)
      return
    }
    entry.running = false
    record.attemptsMade++
    this.#release(entry)
    this.#finish(entry)
  }

  #cancel(entry: Entry) {
    if (entry.timer) {
      clearTimeout(entry.timer as NodeJS.Timeout)
      clearImmediate(entry.timer as NodeJS.Immediate)
    }
    entry.timer = null
    this.#release(entry)
    const queue = entry.record.queueName
    const ready = this.#ready.get(queue)
    if (ready?.includes(entry))
      this.#ready.set(
        queue,
        ready.filter((other) => other !== entry)
      )
  }

  #finish(entry: Entry) {
    this.#entries.delete(entry)
    if (this.#entries.size > 0) return
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

const inProcess = new InProcessQueue()

/**
 * Dispatches background jobs (mails, imports, exports...). With REDIS_HOST set they go to BullMQ
 * on Redis through @rlanz/bull-queue, and `node ace queue:listen` runs them (on any number of
 * machines); without it (the embedded default) they run in the web process after the response.
 * Either way: the attempts and exponential backoff of config/queue.ts, and a job that still
 * fails is kept in `failed_jobs` for the administrators.
 */
export default class JobQueue {
  /** True when jobs go to Redis (REDIS_HOST set). */
  static get usesRedis(): boolean {
    return Boolean(env.get('REDIS_HOST'))
  }

  /** Queues `payload` for `jobClass`; never runs the job inside the current request. */
  static async dispatch<Payload>(
    jobClass: QueuedJobClass<Payload>,
    payload: Payload,
    options: DispatchOptions = {}
  ): Promise<{ id: string | undefined }> {
    const defaults = app.config.get<{ attempts?: number; backoff?: Backoff }>('queue.jobs', {})
    const attempts = options.attempts ?? defaults.attempts ?? 1
    const backoff = options.backoff ?? defaults.backoff ?? { type: 'fixed', delay: 0 }
    const queueName = options.queueName ?? jobClass.queueName ?? 'default'
    if (JobQueue.usesRedis) {
      const { default: queue } = await import('@rlanz/bull-queue/services/main')
      const job = await queue.dispatch(jobClass, payload as any, { queueName, attempts, backoff })
      return { id: job.id }
    }
    return inProcess.add(jobClass, payload, queueName, attempts, backoff)
  }

  /** In-process jobs not finished yet. */
  static get pending(): number {
    return inProcess.size
  }

  /** Resolves when the in-process queue has no job left (tests; shutdown). */
  static idle(): Promise<void> {
    return inProcess.idle()
  }

  /** Tests: drops the jobs not started, and waits up to `timeoutMs` for those running. */
  static settle(timeoutMs: number): Promise<void> {
    return inProcess.settle(timeoutMs)
  }

  /** Shutdown: lets in-process jobs finish for up to `timeoutMs`, then records the rest as failed. */
  static drain(timeoutMs: number): Promise<void> {
    return inProcess.drain(timeoutMs)
  }
}
