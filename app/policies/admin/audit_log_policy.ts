import type User from '#models/user'
import BasePolicy from '#policies/base_policy'

export default class AuditLogPolicy extends BasePolicy {
  /** The audit trail is read by the privacy office and administrators. */
  viewAny(user: User) {
    return this.hasRole(user, 'admin', 'privacy_officer')
  }
}
