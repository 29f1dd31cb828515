import type User from '#models/user'
import type BackgroundTask from '#models/background_task'
import BasePolicy from '#policies/base_policy'

export default class BackgroundTaskPolicy extends BasePolicy {
  /**
   * A task's progress, result and file are for the user who started it only: an import report
   * quotes a file of citizens' data, an export is what that user was allowed to see.
   */
  view(user: User, task: BackgroundTask) {
    return task.userId === user.id
  }
}
