import app from '@adonisjs/core/services/app'
import { Disk } from '@adonisjs/drive'
import { DateTime } from 'luxon'
import BackgroundTask from '#models/background_task'
import Clock from '#services/clock'
import { STALE_AFTER_MINUTES } from '#actions/tasks/start_background_task'
import type { ScheduledJob } from '#jobs/job'

/**
 * Daily at 3:10 (Asia/Tokyo): imports and exports past their keeping period are deleted with
 * their files and staged rows (an export is a copy of personal data); a task whose process
 * stopped mid-way (no progress for STALE_AFTER_MINUTES) is ended as failed, so its page says so.
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
    return `${expired.length} expired tasks deleted, ${interrupted} interrupted tasks ended`
  }
}
