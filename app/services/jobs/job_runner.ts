import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import Clock from '#services/clock'
import { sqlNow } from '#services/column_types'

export interface JobOutcome {
  ran: boolean
  status: 'succeeded' | 'failed' | 'skipped'
  message: string
}

/**
 * Runs a job only if no other app instance is running it. The lock is a
 * lease row in `job_locks`, taken with one conditional UPDATE (atomic on
 * SQLite and PostgreSQL alike) and expiring by itself if an instance dies.
 * Leases are measured by the injected Clock: resolve the runner through the
 * container (`await app.container.make(JobRunner)`).
 */
@inject()
export default class JobRunner {
  #instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`

  constructor(private readonly clock: Clock) {}

  /** Who holds a lease: host, process and a random suffix. */
  get instanceId(): string {
    return this.#instanceId
  }

  /** The same runner (same clock) under another instance name, e.g. two app instances in a test. */
  as(instanceId: string): JobRunner {
    const runner = new JobRunner(this.clock)
    runner.#instanceId = instanceId
    return runner
  }

  /** Runs `work` under the named lock, or skips when another instance holds it. */
  async runExclusive(
    name: string,
    leaseMs: number,
    work: () => Promise<string | void>
  ): Promise<JobOutcome> {
    if (!(await this.#acquire(name, leaseMs))) {
      return { ran: false, status: 'skipped', message: 'another instance is running this job' }
    }
    try {
      const message = (await work()) ?? 'ok'
      await this.#release(name, 'succeeded', message)
      return { ran: true, status: 'succeeded', message }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      logger.error({ err: error, job: name }, 'scheduled job failed')
      await this.#release(name, 'failed', message)
      return { ran: true, status: 'failed', message }
    }
  }

  async #acquire(name: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now().toMillis()
    await db.rawQuery(
      'INSERT INTO job_locks (name, locked_until) VALUES (?, 0) ON CONFLICT (name) DO NOTHING',
      [name]
    )
    const updated = await db
      .from('job_locks')
      .where('name', name)
      .where('locked_until', '<', now)
      .update({
        locked_by: this.instanceId,
        locked_until: now + leaseMs,
        last_started_at: sqlNow(),
      })
    return Number(Array.isArray(updated) ? updated[0] : updated) === 1
  }

  async #release(name: string, status: JobOutcome['status'], message: string) {
    await db
      .from('job_locks')
      .where('name', name)
      .where('locked_by', this.instanceId)
      .update({
        locked_until: 0,
        last_finished_at: sqlNow(),
        last_status: status,
        last_message: message.slice(0, 2000),
      })
  }
}
