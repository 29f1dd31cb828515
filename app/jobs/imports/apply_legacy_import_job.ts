import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import TaskJob from '#jobs/tasks/task_job'
import IndexImportedRecordsJob, { INDEX_JOB_IDS } from '#jobs/imports/index_imported_records_job'
import JobQueue from '#services/jobs/job_queue'
import type BackgroundTask from '#models/background_task'
import User from '#models/user'
import Clock from '#services/clock'
import { LegacyImport, type ImportReport } from '#services/imports/legacy_import'
import { legacyImporter, type LegacyImportParams } from '#services/imports/legacy_importers'
import type TaskProgress from '#services/tasks/task_progress'

/** What the user reads when the import failed: nothing saved, the checked rows kept for a retry. */
export const APPLY_FAILED_MESSAGE = 'faq.import.apply_failed'

/**
 * The import of a checked legacy file (データの移行, step 2), on the same task as its check:
 * the staged rows go into the real tables in one short transaction, all or nothing (their
 * search index follows in short transactions, IndexImportedRecordsJob). A
 * failure rolls everything back, keeps the staged rows and the report, and ends the task
 * with a message that says so; the result page then offers the import again.
 */
export default class ApplyLegacyImportJob extends TaskJob {
  static get $$filepath() {
    return import.meta.url
  }

  protected async run(task: BackgroundTask, progress: TaskProgress) {
    const params = task.params as LegacyImportParams
    const report = task.result as ImportReport
    let outcome
    try {
      const clock = await app.container.make(Clock)
      const user = await User.findOrFail(task.userId)
      await progress.start('applying', await LegacyImport.stagedCount(task.id))
      outcome = await legacyImporter(params.kind, () => clock.now()).apply(
        task,
        report,
        user,
        progress
      )
    } catch (error) {
      // Rolled back: the report and the staged rows stay, so the user can run the import again.
      logger.error({ err: error, taskId: task.id }, 'legacy import failed and was rolled back')
      await progress.fail(APPLY_FAILED_MESSAGE, report)
      return
    }
    const { ids, ...figures } = outcome
    logger.info(
      { taskId: task.id, kind: params.kind, ...figures },
      'legacy import applied in one transaction'
    )
    // The search index follows in short transactions of its own (see the job).
    for (let start = 0; start < ids.length; start += INDEX_JOB_IDS) {
      await JobQueue.dispatch(IndexImportedRecordsJob, {
        kind: params.kind,
        ids: ids.slice(start, start + INDEX_JOB_IDS),
      })
    }
    await progress.succeed({
      ...report,
      created: outcome.created,
      skippedMeanwhile: outcome.skipped,
    })
  }
}
