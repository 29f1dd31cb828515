import type User from '#models/user'
import type Contract from '#models/contract'
import type HandlerRoster from '#models/handler_roster'
import BasePolicy from '#policies/base_policy'
import ContractPolicy from '#policies/register/contract_policy'

/**
 * Handler rosters follow their contract. The contractor user submits them
 * for contracts of its own company (as contractor 乙, subcontractor 丙, or
 * for the subcontracts under its contracts); ward staff of the system's
 * department and privacy officers acknowledge them. Expects
 * `contract.system` (and `contract.parent`) loaded.
 */
export default class RosterPolicy extends BasePolicy {
  /** The roster versions of a contract. */
  async viewFor(user: User, contract: Contract) {
    return new ContractPolicy().view(user, contract)
  }

  async view(user: User, roster: HandlerRoster) {
    return this.viewFor(user, roster.contract)
  }

  /** Submitting a new version: only the contractor's own users. */
  async submitFor(user: User, contract: Contract) {
    if (!user.isContractorUser || contract.contractorId === null) return false
    return new ContractPolicy().view(user, contract)
  }

  /** The ward's acknowledgement (受理) of a version. */
  async acknowledge(user: User, roster: HandlerRoster) {
    return this.#wardReviewer(user, roster.contract)
  }

  /** Privacy officers for any contract; department staff and supervisors for their department's systems. */
  async #wardReviewer(user: User, contract: Contract) {
    if (this.hasRole(user, 'privacy_officer')) return true
    return this.hasRole(user, 'department_staff', 'supervisor') && (await this.canSeeDepartment(user, contract.system.departmentId))
  }
}
