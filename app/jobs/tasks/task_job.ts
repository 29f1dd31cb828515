import logger from '@adonisjs/core/services/logger'
import QueuedJob from '#jobs/queued_job'
import BackgroundTask from '#models/background_task'
import TaskProgress from '#services/tasks/task_progress'

export interface TaskJobPayload {
  taskId: number
}

/**
 * A job that does the work of a BackgroundTask (an import or export a user started) and
 * reports its progress there. A failure ends the task as failed with a message for the user
 * (the details go to the log and to failed_jobs), so the page never waits forever.
 */
export default abstract class TaskJob extends QueuedJob<TaskJobPayload> {
  static readonly queueName = 'tasks'

  protected abstract run(task: BackgroundTask, progress: TaskProgress): Promise<void>

  /** The message key of what the user reads when the job failed unexpectedly. */
  protected failureMessage(): string {
    return 'tasks.errors.unexpected'
  }

  async handle({ taskId }: TaskJobPayload) {
    const task = await BackgroundTask.find(taskId)
    // Deleted meanwhile (expired, or its user removed): nothing left to do.
    if (!task) return
    const progress = new TaskProgress(task)
    try {
      await this.run(task, progress)
    } catch (error) {
      logger.error({ err: error, taskId, kind: task.kind }, 'background task failed')
      await progress.fail(this.failureMessage()).catch(() => {})
      throw error
    }
  }
}
