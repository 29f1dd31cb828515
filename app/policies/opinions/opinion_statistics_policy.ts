import type User from '#models/user'
import BasePolicy from '#policies/base_policy'
import { WARD_ROLES } from '#enums/role'

/**
 * 区民の声 statistics and the opinion CSV. Every ward role may open them:
 * admin, privacy officer and operators see every opinion, department staff
 * and supervisors only their departments' (OpinionListQuery scopes the
 * figures). Contractor users never.
 */
export default class OpinionStatisticsPolicy extends BasePolicy {
  view(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  export(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }
}
