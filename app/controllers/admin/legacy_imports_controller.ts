import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import DomainError from '#exceptions/domain_error'
import StartBackgroundTask from '#actions/tasks/start_background_task'
import ApplyLegacyImportJob from '#jobs/imports/apply_legacy_import_job'
import CheckLegacyImportJob from '#jobs/imports/check_legacy_import_job'
import BackgroundTask from '#models/background_task'
import FaqPolicy from '#policies/faq/faq_policy'
import BackgroundTaskPolicy from '#policies/tasks/background_task_policy'
import { FAQ_IMPORT_COLUMNS } from '#services/imports/legacy_import_faq'
import { OPINION_IMPORT_COLUMNS } from '#services/imports/legacy_import_opinions'
import { LegacyImport, type ImportReport } from '#services/imports/legacy_import'
import type { LegacyImportParams } from '#services/imports/legacy_importers'
import LegacyUploads from '#services/imports/legacy_uploads'
import JobQueue from '#services/jobs/job_queue'
import UploadChecker from '#services/uploads/upload_checker'
import { legacyImportValidator } from '#validators/faq/faq'

/** The user's recent imports listed under the form. */
const RECENT_TASKS = 10

/**
 * Moving the old FAQ and opinion databases across (データの移行), as a background task:
 * the upload is stored encrypted and checked by a job (progress on the task page, the
 * report as its result); from a clean report, 「この内容で取り込む」 imports the checked rows
 * on the same task, in one short transaction.
 */
export default class LegacyImportsController {
  async create({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const user = auth.use('web').getUserOrFail()
    const recent = await BackgroundTask.query()
      .where('user_id', user.id)
      .where('kind', 'legacy_import')
      .orderBy('id', 'desc')
      .limit(RECENT_TASKS)
    return view.render('pages/admin/legacy_imports/create', {
      columns: { faq: FAQ_IMPORT_COLUMNS, opinions: OPINION_IMPORT_COLUMNS },
      // A running import is the newest (a second is refused while it runs): among the recent.
      running: recent.find(StartBackgroundTask.isUnfinished) ?? null,
      recent,
    })
  }

  /**
   * The upload: stored encrypted (it holds citizens' personal data) until the check job has
   * read it; the browser goes to the task's page, a JSON client gets the task's addresses.
   */
  @inject()
  async preview({ request, response, bouncer, auth }: HttpContext, uploads: LegacyUploads) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const input = await request.validateUsing(legacyImportValidator)
    const bytes = await readFile(input.file.tmpPath!)
    const fileKey = await uploads.put(bytes)
    const params: LegacyImportParams = {
      kind: input.kind,
      encoding: input.encoding,
      mode: 'check',
      fileKey,
      fileName: UploadChecker.safeName(input.file.clientName, 'import.csv'),
      checksum: LegacyImport.checksum(bytes),
    }
    let task: BackgroundTask
    try {
      task = await new StartBackgroundTask().handle(
        auth.use('web').getUserOrFail(),
        'legacy_import',
        params,
        CheckLegacyImportJob
      )
    } catch (error) {
      await uploads.delete(fileKey)
      throw error
    }
    return LegacyImportsController.#started(request, response, task)
  }

  /**
   * The import of a clean check (or again after a failed import): the same task goes back
   * to the queue in import mode. Only its owner, and only once at a time.
   */
  async apply({ params, request, response, bouncer, auth }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const task = await BackgroundTask.query()
      .where('id', params.id)
      .where('kind', 'legacy_import')
      .firstOrFail()
    await bouncer.with(BackgroundTaskPolicy).authorize('view', task)
    const backToTask = { route: 'tasks.show', params: { id: task.id } }
    const user = auth.use('web').getUserOrFail()
    const running = await StartBackgroundTask.unfinished(user, 'legacy_import')
    if (running) {
      throw new DomainError('tasks.already_running', {
        redirectTo: { route: 'tasks.show', params: { id: running.id } },
        status: 409,
        keepInput: false,
      })
    }
    const claimed = await db.transaction(async (trx) => {
      // Re-read in the transaction (locked on PostgreSQL): a double click queues one import.
      const query = BackgroundTask.query({ client: trx }).where('id', task.id)
      if (trx.dialect.name === 'postgres') query.forUpdate()
      const fresh = await query.firstOrFail()
      if (!LegacyImportsController.importable(fresh)) return null
      fresh.merge({
        status: 'queued',
        params: { ...fresh.params, mode: 'import' },
        phase: null,
        total: null,
        done: 0,
        error: null,
        finishedAt: null,
      })
      fresh.useTransaction(trx)
      await fresh.save()
      return fresh
    })
    if (!claimed) {
      throw new DomainError('faq.import.not_importable', {
        redirectTo: backToTask,
        status: 409,
        keepInput: false,
      })
    }
    await JobQueue.dispatch(ApplyLegacyImportJob, { taskId: claimed.id }, { attempts: 1 })
    return LegacyImportsController.#started(request, response, claimed)
  }

  /**
   * A task whose checked rows can be imported: a clean check with records to create, not
   * imported yet, or an import that failed (rolled back, staged rows kept).
   */
  static importable(task: BackgroundTask): boolean {
    const report = task.result as ImportReport | null
    if (!report || report.problemCount !== 0 || report.toCreate === 0) return false
    const params = task.params as LegacyImportParams
    return (
      (task.status === 'succeeded' && params.mode === 'check') ||
      (task.status === 'failed' && params.mode === 'import')
    )
  }

  /** 303 to the task's page; 202 with its addresses for a JSON client. */
  static #started(
    request: HttpContext['request'],
    response: HttpContext['response'],
    task: BackgroundTask
  ) {
    if (request.accepts(['html', 'json']) === 'json') {
      return response.status(202).json({
        task: {
          id: task.id,
          url: router.makeUrl('tasks.show', { id: task.id }),
          progressUrl: router.makeUrl('tasks.progress', { id: task.id }),
        },
      })
    }
    return response.redirect().status(303).toRoute('tasks.show', { id: task.id })
  }
}
