import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
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
 */
export default class JobRunner {
  constructor(readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`) {}

  /** Runs `work` under the named lock, or skips when another instance holds it. */
  async runExclusive(name: string, leaseMs: number, work: () => Promise<string | void>): Promise<JobOutcome> {
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
    const now = Date.now()
    await db.rawQuery('INSERT INTO job_locks (name, locked_until) VALUES (?, 0) ON CONFLICT (name) DO NOTHING', [name])
    const updated = await db
      .from('job_locks')
      .where('name', name)
      .where('locked_until', '<', now)
      .update({ locked_by: this.instanceId, locked_until: now + leaseMs, last_started_at: sqlNow() })
    return Number(Array.isArray(updated) ? updated[0] : updated) === 1
  }

  async #release(name: string, status: JobOutcome['status'], message: string) {
    await db
      .from('job_locks')
      .where('name', name)
      .where('locked_by', this.instanceId)
      .update({ locked_until: 0, last_finished_at: sqlNow(), last_status: status, last_message: message.slice(0, 2000) })
  }
}
