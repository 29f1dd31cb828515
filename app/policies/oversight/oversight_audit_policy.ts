import type User from '#models/user'
import type Contract from '#models/contract'
import type OversightAudit from '#models/oversight_audit'
import BasePolicy from '#policies/base_policy'
import ContractPolicy from '#policies/register/contract_policy'

/**
 * On-site audits (立入調査). Ward staff and supervisors of the system's
 * department and privacy officers log and edit them; whoever may see the
 * contract reads them, so a contractor user reads the audits of its own
 * contracts and subcontracts and never edits. Expects the contract with
 * `system` (and for subcontracts `parent`) to be loaded.
 */
export default class OversightAuditPolicy extends BasePolicy {
  /** The list page: everyone signed in; the list itself is scoped. */
  viewAny(user: User) {
    return user.isActive
  }

  async view(user: User, audit: OversightAudit) {
    return new ContractPolicy().view(user, audit.contract)
  }

  /** Logging an audit of this contract. */
  async create(user: User, contract: Contract) {
    if (user.isContractorUser) return false
    if (this.hasRole(user, 'privacy_officer')) return true
    return this.hasRole(user, 'department_staff', 'supervisor') && (await this.canSeeDepartment(user, contract.system.departmentId))
  }

  /** Answers, findings, corrective actions and attachments. */
  async update(user: User, audit: OversightAudit) {
    return this.create(user, audit.contract)
  }
}
