import type User from '#models/user'
import type OversightDuty from '#models/oversight_duty'
import BasePolicy from '#policies/base_policy'
import OversightScope from '#builders/oversight_scope'
import { WARD_ROLES } from '#enums/role'

/**
 * The compliance dashboard and duties. The department of a duty's contract
 * is read through the domain's one rule (OversightScope).
 */
export default class OversightPolicy extends BasePolicy {
  viewDashboard(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  /** Waiving a duty needs a reason and a privacy officer or the department's supervisor. */
  async waive(user: User, duty: OversightDuty) {
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'supervisor')) return false
    const scope = await OversightScope.for(user)
    return scope.includesDepartmentOf(duty.contractId)
  }
}
