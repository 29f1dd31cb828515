import type User from '#models/user'
import type Contract from '#models/contract'
import type PersonalDataSystem from '#models/personal_data_system'
import BasePolicy from '#policies/base_policy'
import SystemPolicy from '#policies/register/system_policy'
import RegisterScope from '#builders/register_scope'
import { WARD_ROLES } from '#enums/role'

/**
 * Contracts follow their system for ward staff. A contractor user sees only
 * contracts where its company is the contractor, and subcontracts where it
 * is the contractor (乙) or the subcontractor (丙); it never edits here.
 * The rows visible are the register's one rule (RegisterScope), read from
 * the database: nothing needs to be preloaded.
 */
export default class ContractPolicy extends BasePolicy {
  async view(user: User, contract: Contract) {
    if (!user.isContractorUser && !this.hasRole(user, ...WARD_ROLES)) return false
    const scope = await RegisterScope.for(user)
    return scope.includesContract(contract)
  }

  async update(user: User, contract: Contract) {
    return (
      !user.isContractorUser && new SystemPolicy().editFor(user, await this.#departmentOf(contract))
    )
  }

  /** The ward's approval of a subcontract: privacy officers, or the department's supervisor. */
  async approve(user: User, contract: Contract) {
    if (!contract.isSubcontract) return false
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'supervisor')) return false
    const scope = await RegisterScope.for(user)
    return scope.includesContract(contract)
  }

  /**
   * The department of the contract's system as stored: the system ContractQueries.find read
   * with the contract, or a read of it (a page asks several times: not once each).
   */
  async #departmentOf(contract: Contract): Promise<number> {
    const system =
      (contract.$preloaded.system as PersonalDataSystem | undefined) ??
      (await contract.related('system').query().firstOrFail())
    return system.departmentId
  }
}
