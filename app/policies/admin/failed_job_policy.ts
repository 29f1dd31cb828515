import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

export default class FailedJobPolicy extends BasePolicy {
  /** Failed background jobs (mails that never left) are seen and retried by administrators only. */
  viewAny(user: User) {
    return this.hasRole(user, 'admin')
  }

  retry(user: User) {
    return this.hasRole(user, 'admin')
  }
}
