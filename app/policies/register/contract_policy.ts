import type User from '#models/user'
import type Contract from '#models/contract'
import BasePolicy from '#policies/base_policy'
import SystemPolicy from '#policies/register/system_policy'
import { WARD_ROLES } from '#enums/role'

/**
 * Contracts follow their system for ward staff. A contractor user sees only
 * contracts where its company is the contractor, and subcontracts where it
 * is the contractor (乙) or the subcontractor (丙); it never edits here.
 * Expects `system` (and for subcontracts `parent`) to be loaded.
 */
export default class ContractPolicy extends BasePolicy {
  async view(user: User, contract: Contract) {
    if (user.isContractorUser) {
      if (user.contractorId === null) return false
      return contract.contractorId === user.contractorId || contract.parent?.contractorId === user.contractorId
    }
    return this.hasRole(user, ...WARD_ROLES) && new SystemPolicy().view(user, contract.system)
  }

  async update(user: User, contract: Contract) {
    return !user.isContractorUser && new SystemPolicy().update(user, contract.system)
  }

  /** The ward's approval of a subcontract: privacy officers, or the department's supervisor. */
  async approve(user: User, contract: Contract) {
    if (!contract.isSubcontract) return false
    if (this.hasRole(user, 'privacy_officer')) return true
    return this.hasRole(user, 'supervisor') && (await this.canSeeDepartment(user, contract.system.departmentId))
  }
}
