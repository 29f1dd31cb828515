import { DateTime } from 'luxon'
import BackgroundTask, {
  TASK_RETENTION_DAYS,
  type BackgroundTaskKind,
  type BackgroundTaskStatus,
} from '#models/background_task'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import JobQueue, { type QueuedJobClass } from '#services/jobs/job_queue'
import type { TaskJobPayload } from '#jobs/tasks/task_job'

/** A task not updated for this long is taken as abandoned (its process stopped), not running. */
export const STALE_AFTER_MINUTES = 15

const UNFINISHED_STATUSES: BackgroundTaskStatus[] = ['queued', 'running']
const staleBefore = () => DateTime.now().minus({ minutes: STALE_AFTER_MINUTES })

/**
 * Starts an import or export as a background task: records it for the user, queues its job,
 * and refuses a second one of the same kind while the user's first is still running (the
 * form's button is disabled too; this covers a second tab).
 */
export default class StartBackgroundTask {
  /** The user's task of this kind still queued or running, if any. */
  static unfinished(user: User, kind: BackgroundTaskKind) {
    return BackgroundTask.query()
      .where('user_id', user.id)
      .where('kind', kind)
      .whereIn('status', UNFINISHED_STATUSES)
      .where('updated_at', '>', staleBefore().toSQL()!)
      .orderBy('id', 'desc')
      .first()
  }

  /** Whether `task` is one `unfinished` would find: for a page that lists the tasks anyway. */
  static isUnfinished(task: BackgroundTask) {
    return UNFINISHED_STATUSES.includes(task.status) && task.updatedAt > staleBefore()
  }

  async handle(
    user: User,
    kind: BackgroundTaskKind,
    params: Record<string, any>,
    jobClass: QueuedJobClass<TaskJobPayload>
  ): Promise<BackgroundTask> {
    const running = await StartBackgroundTask.unfinished(user, kind)
    if (running) {
      throw new DomainError('tasks.already_running', {
        redirectTo: { route: 'tasks.show', params: { id: running.id } },
        status: 409,
        keepInput: false,
      })
    }
    const task = await BackgroundTask.create({
      userId: user.id,
      kind,
      status: 'queued',
      done: 0,
      params,
      expiresAt: DateTime.now().plus({ days: TASK_RETENTION_DAYS }),
    })
    await JobQueue.dispatch(jobClass, { taskId: task.id }, { attempts: 1 })
    return task
  }
}
