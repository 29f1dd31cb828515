import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import BackgroundTask from '#models/background_task'
import BackgroundTaskPolicy from '#policies/tasks/background_task_policy'
import StoredFiles from '#services/oversight/stored_files'
import TaskStatus from '#services/tasks/task_status'

/**
 * The page of an import or export running in the background: a progress bar (rows done of
 * total, time left) that updates itself, then the result, kept for the user who started it.
 */
export default class BackgroundTasksController {
  async show({ params, view, bouncer, i18n }: HttpContext) {
    const task = await BackgroundTask.findOrFail(params.id)
    await bouncer.with(BackgroundTaskPolicy).authorize('view', task)
    return view.render('pages/tasks/show', {
      task,
      status: TaskStatus.of(task, i18n),
      resultPartial: `pages/tasks/results/${task.kind}`,
    })
  }

  /** The progress as JSON, polled by the page once a second. */
  async progress({ params, bouncer, response, i18n }: HttpContext) {
    const task = await BackgroundTask.findOrFail(params.id)
    await bouncer.with(BackgroundTaskPolicy).authorize('view', task)
    response.header('cache-control', 'no-store')
    return TaskStatus.of(task, i18n)
  }

  /** The file an export produced. */
  @inject()
  async download({ params, response, bouncer, auditLog }: HttpContext, files: StoredFiles) {
    const task = await BackgroundTask.findOrFail(params.id)
    await bouncer.with(BackgroundTaskPolicy).authorize('view', task)
    if (task.status !== 'succeeded' || !task.filePath) return response.notFound()
    const sent = await files.send(response, {
      storageKey: task.filePath,
      originalName: task.fileName ?? `task-${task.id}`,
      size: task.fileSize,
      contentType: task.params.contentType ?? 'application/octet-stream',
    })
    await auditLog.record({
      action: 'background_task.download',
      subject: { type: 'BackgroundTask', id: task.id },
      details: { kind: task.kind, fileName: task.fileName },
    })
    return sent
  }
}
