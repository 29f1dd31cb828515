import type User from '#models/user'
import BasePolicy from '#policies/base_policy'
import { WARD_ROLES } from '#enums/role'

export default class SpecialTermPolicy extends BasePolicy {
  /** Ward staff read the library; contractors read terms on their contract pages. */
  viewAny(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  /** The privacy office maintains the library. */
  manage(user: User) {
    return this.hasRole(user, 'privacy_officer')
  }
}
