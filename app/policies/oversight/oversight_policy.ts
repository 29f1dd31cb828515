import type User from '#models/user'
import type OversightDuty from '#models/oversight_duty'
import BasePolicy from '#policies/base_policy'
import { WARD_ROLES } from '#enums/role'

/**
 * The compliance dashboard and duties. Expects `duty.contract.system` to be
 * loaded for duty checks.
 */
export default class OversightPolicy extends BasePolicy {
  viewDashboard(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  /** Waiving a duty needs a reason and a privacy officer or the department's supervisor. */
  async waive(user: User, duty: OversightDuty) {
    if (this.hasRole(user, 'privacy_officer')) return true
    return this.hasRole(user, 'supervisor') && (await this.canSeeDepartment(user, duty.contract.system.departmentId))
  }
}
