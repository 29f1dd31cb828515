import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { Disk } from '@adonisjs/drive'
import TaskJob from '#jobs/tasks/task_job'
import type BackgroundTask from '#models/background_task'
import User from '#models/user'
import OpinionStatisticsPolicy from '#policies/opinions/opinion_statistics_policy'
import Clock from '#services/clock'
import type { CsvEncoding } from '#services/csv/csv_export'
import OpinionExport, {
  EXPORT_BATCH_SIZE,
  type ExportProgress,
} from '#services/opinions/opinion_export'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import StreamedBuffers from '#services/streamed_buffers'
import type TaskProgress from '#services/tasks/task_progress'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

/** The parameters of an opinion export task (no personal data: filters and the encoding). */
export interface OpinionExportParams {
  /** The statistics filters as query-string values (OpinionStatisticsFilters.toQueryString). */
  filters: Record<string, string | number>
  encoding: CsvEncoding
  contentType: string
}

/** What the task page shows of a finished export. */
export interface OpinionExportResult {
  rows: number
  replacedCharacters: number
  encoding: CsvEncoding
}

/**
 * Rows per keyset batch in the job. SQLite reads synchronously in this process (better-sqlite3):
 * small batches keep each read short and the progress bar moving. On PostgreSQL the UTF-8 file
 * is one COPY (the batch is only the progress step); Shift_JIS reads batches, the next while
 * one is written: 5,000 rows planned fewer queries, but two batches of them alive at once let
 * the server's RSS grow by up to 59 MB over a million rows (2,000: OpinionExport's own size).
 */
export const JOB_BATCH_SIZE = { sqlite: 1000, postgres: EXPORT_BATCH_SIZE } as const

/** Where exports are kept on the drive disk (PruneBackgroundTasksJob looks there for orphans). */
export const EXPORTS_FOLDER = 'exports'

/**
 * The opinion CSV (意見データのCSV書出し) as a background task: counts the rows of the user's
 * filters, then streams OpinionExport's file (audit-logged) straight to the drive disk
 * (exports/<uuid>.csv), advancing the progress bar per batch of rows. The user who started it
 * is loaded again and their scope applied again, so the file never holds more than they may
 * see now. A failure deletes what was written: the task never points to a partial file.
 */
export default class ExportOpinionsJob extends TaskJob {
  static get $$filepath() {
    return import.meta.url
  }

  protected failureMessage(): string {
    return 'opinion_statistics.export.failed'
  }

  protected async run(task: BackgroundTask, progress: TaskProgress) {
    const params = task.params as OpinionExportParams
    const encoding: CsvEncoding = params.encoding === 'cp932' ? 'cp932' : 'utf8'
    await progress.start('counting')

    // Re-checked when the job runs: the account may have been disabled or its role changed.
    const user = await User.find(task.userId)
    if (!user || !user.isActive || !new OpinionStatisticsPolicy().export(user)) {
      await progress.fail('opinion_statistics.export.not_allowed')
      return
    }
    const clock = await app.container.make(Clock)
    const today = clock.now().setZone(WARD_ZONE)
    const { filters } = await OpinionStatisticsFilters.parse(
      params.filters ?? {},
      user,
      WardCalendar.fiscalYear(today)
    )
    await progress.phase('writing', await OpinionExport.count(user, filters))

    const counts: ExportProgress = { rows: 0, batches: 0, replaced: 0 }
    const csv = OpinionExport.stream(user, filters, {
      encoding,
      batchSize:
        db.connection().dialect.name === 'postgres'
          ? JOB_BATCH_SIZE.postgres
          : JOB_BATCH_SIZE.sqlite,
      progress: counts,
      taskId: task.id,
      onBatch: async (rows) => {
        await progress.advance(rows)
        // A turn of the event loop before the next batch is read (a synchronous read on SQLite).
        await nextTurn()
      },
    })
    let size = 0
    async function* counted() {
      for await (const chunk of StreamedBuffers.released(csv)) {
        size += chunk.length
        yield chunk
      }
    }
    const key = `${EXPORTS_FOLDER}/${randomUUID()}.csv`
    const disk = await app.container.make(Disk)
    try {
      await disk.putStream(key, Readable.from(counted(), { objectMode: false }))
      const result: OpinionExportResult = {
        rows: counts.rows,
        replacedCharacters: counts.replaced,
        encoding,
      }
      await progress.succeed(result, {
        path: key,
        name: OpinionExport.fileName(filters, encoding, today),
        size,
      })
    } catch (error) {
      csv.destroy()
      await disk.delete(key).catch(() => {})
      throw error
    }
  }
}
