import type User from '#models/user'
import type Contract from '#models/contract'
import type HandlerRoster from '#models/handler_roster'
import BasePolicy from '#policies/base_policy'
import OversightScope from '#builders/oversight_scope'

/**
 * Handler rosters follow their contract. The contractor user submits them
 * for contracts of its own company (as contractor 乙, subcontractor 丙, or
 * for the subcontracts under its contracts); ward staff of the system's
 * department and privacy officers acknowledge them. Visibility is the
 * domain's one rule (OversightScope), read from the database.
 */
export default class RosterPolicy extends BasePolicy {
  /** The roster versions of a contract. */
  async viewFor(user: User, contract: Contract) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(contract.id)
  }

  async view(user: User, roster: HandlerRoster) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(roster.contractId)
  }

  /** Submitting a new version: only the contractor's own users. */
  async submitFor(user: User, contract: Contract) {
    if (!user.isContractorUser || contract.contractorId === null) return false
    return this.viewFor(user, contract)
  }

  /** The ward's acknowledgement (受理) of a version: privacy officers for any contract, department staff and supervisors for their department's systems. */
  async acknowledge(user: User, roster: HandlerRoster) {
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OversightScope.for(user)
    return scope.includesDepartmentOf(roster.contractId)
  }
}
