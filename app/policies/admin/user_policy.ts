import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

export default class UserPolicy extends BasePolicy {
  /** Only administrators manage accounts. */
  manage(user: User) {
    return this.hasRole(user, 'admin')
  }
}
