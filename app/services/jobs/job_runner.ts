import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import lock from '@adonisjs/lock/services/main'
import logger from '@adonisjs/core/services/logger'
import type { DateTime } from 'luxon'
import Clock from '#services/clock'
import { sqlNow } from '#services/column_types'

type Lock = ReturnType<typeof lock.createLock>

export interface JobOutcome {
  ran: boolean
  status: 'succeeded' | 'failed' | 'skipped'
  message: string
}

/** A store named in config/lock.ts: `database` (default), `redis` (REDIS_HOST or LOCK_STORE=redis), `memory`. */
export type LockStoreName = 'database' | 'redis' | 'memory'

/**
 * How late an instance may still fire a scheduled tick (node-cron's missedExecutionTolerance,
 * set in start/scheduler.ts): a blocked event loop or a skewed clock delays the firing, and
 * the tick still runs once, on whichever instance gets there first.
 */
export const LATE_TICK_TOLERANCE_MS = 10 * 60 * 1000

/**
 * How long a tick stays marked as run. It only has to outlive the last moment another
 * instance could fire the same tick (LATE_TICK_TOLERANCE_MS plus clock skew); every tick has
 * its own key, so a long mark never blocks the next tick.
 */
export const TICK_MARK_TTL_MS = 60 * 60 * 1000

/**
 * Runs scheduled jobs once across app instances, with `@adonisjs/lock` (config/lock.ts: the
 * database store, table `locks`, on SQLite and PostgreSQL; the Redis store when configured).
 *
 * - `job:<name>` is held while the job runs, with the job's lease as TTL: a second instance
 *   (or `jobs:run`) skips meanwhile, and a crashed instance's lock expires after the lease.
 * - `job:<name>:<tick>` marks a scheduled tick as run. It is not released but expires
 *   (TICK_MARK_TTL_MS): an instance firing the same tick after the first one finished skips.
 *
 * The last run's times, status and message stay in `job_locks` (shown by `jobs:list`).
 * Ticks default to the injected Clock's minute: resolve the runner through the container
 * (`await app.container.make(JobRunner)`).
 */
@inject()
export default class JobRunner {
  #store: LockStoreName | undefined
  #keyPrefix = ''

  constructor(private readonly clock: Clock) {}

  /** The store in use: the one chosen by `onStore`, else config/lock.ts's default. */
  get store(): LockStoreName {
    return this.#store ?? (app.config.get('lock.default') as LockStoreName)
  }

  /** The same runner on another lock store. */
  onStore(store: LockStoreName): JobRunner {
    return this.#copy({ store })
  }

  /** The same runner with its lock keys prefixed (tests sharing one Redis). */
  withKeyPrefix(keyPrefix: string): JobRunner {
    return this.#copy({ keyPrefix })
  }

  /** The lock held while `name` runs. */
  runningKey(name: string): string {
    return `${this.#keyPrefix}job:${name}`
  }

  /** The mark of one scheduled tick of `name`: the second its cron expression matched (a minute's start, without a seconds field). */
  tickKey(name: string, tick: DateTime): string {
    return `${this.runningKey(name)}:${tick.toUTC().startOf('second').toISO({ suppressMilliseconds: true })}`
  }

  /** Runs `work` now under the job's lock (`jobs:run`), or skips when another instance runs it. */
  async runExclusive(
    name: string,
    leaseMs: number,
    work: () => Promise<string | void>
  ): Promise<JobOutcome> {
    return this.#underRunningLock(name, leaseMs, () => this.#run(name, work))
  }

  /**
   * Runs one scheduled tick of `name` unless another instance runs the job now or already ran
   * this tick. `tick` is the time the cron expression matched (node-cron's context date), by
   * default the Clock's current minute.
   */
  async runTick(
    name: string,
    leaseMs: number,
    work: () => Promise<string | void>,
    tick: DateTime = this.clock.now().startOf('minute')
  ): Promise<JobOutcome> {
    return this.#underRunningLock(name, leaseMs, async () => {
      const mark = this.#locks().createLock(this.tickKey(name, tick), TICK_MARK_TTL_MS)
      if (!(await mark.acquireImmediately())) {
        return skipped('this tick already ran on another instance')
      }
      await this.#forgetExpiredTicks(name)
      return this.#run(name, work)
    })
  }

  async #underRunningLock(
    name: string,
    leaseMs: number,
    then: () => Promise<JobOutcome>
  ): Promise<JobOutcome> {
    const running = this.#locks().createLock(this.runningKey(name), leaseMs)
    if (!(await running.acquireImmediately())) {
      return skipped('another instance is running this job')
    }
    try {
      return await then()
    } finally {
      await release(running, name)
    }
  }

  async #run(name: string, work: () => Promise<string | void>): Promise<JobOutcome> {
    await this.#record(name, { last_started_at: sqlNow() })
    let outcome: JobOutcome
    try {
      outcome = { ran: true, status: 'succeeded', message: (await work()) ?? 'ok' }
    } catch (error) {
      logger.error({ err: error, job: name }, 'scheduled job failed')
      const message = error instanceof Error ? error.message : String(error)
      outcome = { ran: true, status: 'failed', message }
    }
    await this.#record(name, {
      last_finished_at: sqlNow(),
      last_status: outcome.status,
      last_message: outcome.message.slice(0, 2000),
    })
    return outcome
  }

  /** The last run as `jobs:list` shows it (`job_locks`: one row per job). */
  async #record(name: string, values: Record<string, unknown>) {
    await db.rawQuery(
      'INSERT INTO job_locks (name, locked_until) VALUES (?, 0) ON CONFLICT (name) DO NOTHING',
      [name]
    )
    await db.from('job_locks').where('name', name).update(values)
  }

  /**
   * The database store keeps a row per key until it is released, and tick marks never are:
   * drop this job's expired marks (Redis expires them by itself).
   */
  async #forgetExpiredTicks(name: string) {
    if (this.store !== 'database') return
    await db
      .from('locks')
      .where('key', 'like', `${this.runningKey(name)}:%`)
      .where('expiration', '<', Date.now())
      .delete()
  }

  #locks() {
    return lock.use(this.store)
  }

  #copy(changes: { store?: LockStoreName; keyPrefix?: string }): JobRunner {
    const runner = new JobRunner(this.clock)
    runner.#store = changes.store ?? this.#store
    runner.#keyPrefix = changes.keyPrefix ?? this.#keyPrefix
    return runner
  }
}

function skipped(message: string): JobOutcome {
  return { ran: false, status: 'skipped', message }
}

/** A job that outlived its lease may have lost the lock to another instance: say so, do not fail. */
async function release(running: Lock, name: string) {
  try {
    await running.release()
  } catch (error) {
    logger.warn({ err: error, job: name }, 'job lock expired before the job finished')
  }
}
