import app from '@adonisjs/core/services/app'
import { Disk } from '@adonisjs/drive'
import { DateTime } from 'luxon'
import BackgroundTask from '#models/background_task'
import Clock from '#services/clock'
import { STALE_AFTER_MINUTES } from '#actions/tasks/start_background_task'
import type { ScheduledJob } from '#jobs/job'
import { EXPORTS_FOLDER } from '#jobs/opinions/export_opinions_job'

/**
 * Daily at 3:10 (Asia/Tokyo): imports and exports past their keeping period are deleted with
 * their files and staged rows (an export is a copy of personal data); a task whose process
 * stopped mid-way (no progress for STALE_AFTER_MINUTES) is ended as failed, so its page says so,
 * and the part of a file it was writing is deleted.
 */
export default class PruneBackgroundTasksJob implements ScheduledJob {
  readonly name = 'prune-background-tasks'
  readonly schedule = '10 3 * * *'
  readonly leaseMs = 60 * 60 * 1000

  async run(): Promise<string> {
    const clock = await app.container.make(Clock)
    const now = clock.now()
    const disk = await app.container.make(Disk)
    const expired = await BackgroundTask.query().where('expires_at', '<=', now.toSQL()!)
    for (const task of expired) {
      if (task.filePath) await disk.delete(task.filePath)
      // An import's upload the check never got to read (its process stopped first).
      if (task.params.fileKey) await disk.delete(task.params.fileKey)
      await task.delete()
    }
    const stale = await BackgroundTask.query()
      .whereIn('status', ['queued', 'running'])
      .where('updated_at', '<=', now.minus({ minutes: STALE_AFTER_MINUTES }).toSQL()!)
      .update({
        status: 'failed',
        error: 'tasks.errors.interrupted',
        finished_at: now.toSQL(),
        updated_at: DateTime.now().toSQL(),
      })
    const interrupted = Array.isArray(stale) ? stale.length : Number(stale)
    const orphans = await this.#deleteOrphanExports(disk, now)
    return `${expired.length} expired tasks deleted, ${interrupted} interrupted tasks ended, ${orphans} orphaned export files deleted`
  }

  /**
   * Export files no task names: an export streams its file straight to the disk and names it
   * on its task when done, so a process stopped while writing leaves its part behind. One
   * written to within STALE_AFTER_MINUTES may be an export still running, and stays.
   */
  async #deleteOrphanExports(disk: Disk, now: DateTime) {
    const named = await BackgroundTask.query().whereNotNull('file_path').select('file_path')
    const keys = new Set(named.map((task) => task.filePath))
    const before = now.minus({ minutes: STALE_AFTER_MINUTES }).toMillis()
    let deleted = 0
    let paginationToken: string | undefined
    do {
      const page = await disk.listAll(EXPORTS_FOLDER, { paginationToken })
      for (const object of page.objects) {
        if (!object.isFile || keys.has(object.key)) continue
        const { lastModified } = await object.getMetaData()
        if (lastModified.getTime() > before) continue
        await disk.delete(object.key)
        deleted++
      }
      paginationToken = page.paginationToken
    } while (paginationToken)
    return deleted
  }
}
