import app from '@adonisjs/core/services/app'
import TaskJob from '#jobs/tasks/task_job'
import type BackgroundTask from '#models/background_task'
import Clock from '#services/clock'
import CsvParseWorker from '#services/csv/csv_parse_worker'
import LegacyUploads from '#services/imports/legacy_uploads'
import { legacyImporter, type LegacyImportParams } from '#services/imports/legacy_importers'
import type TaskProgress from '#services/tasks/task_progress'

/**
 * The check of an uploaded legacy file (データの移行, step 1): reads and decrypts the upload
 * and deletes it at once, parses it in a worker thread, checks the records in batches into
 * the staging table, and ends with the report (problems by line, counts) as the task's
 * result. The import itself is ApplyLegacyImportJob, started from the result page.
 */
export default class CheckLegacyImportJob extends TaskJob {
  static get $$filepath() {
    return import.meta.url
  }

  protected async run(task: BackgroundTask, progress: TaskProgress) {
    const params = task.params as LegacyImportParams
    const uploads = await app.container.make(LegacyUploads)
    let bytes: Buffer
    try {
      await progress.start('reading')
      bytes = await uploads.take(params.fileKey)
    } finally {
      await uploads.delete(params.fileKey)
    }
    const csv = await CsvParseWorker.open(bytes, params.encoding)
    try {
      await progress.phase('checking', Math.max(0, csv.count - 1))
      const clock = await app.container.make(Clock)
      const importer = legacyImporter(params.kind, () => clock.now())
      const report = await importer.checkFile(csv, task, progress)
      await progress.succeed(report)
    } finally {
      await csv.close()
    }
  }
}
