import type User from '#models/user'
import type Contract from '#models/contract'
import type OversightAudit from '#models/oversight_audit'
import BasePolicy from '#policies/base_policy'
import OversightScope from '#builders/oversight_scope'

/**
 * On-site audits (立入調査). Ward staff and supervisors of the system's
 * department and privacy officers log and edit them; whoever may see the
 * contract reads them, so a contractor user reads the audits of its own
 * contracts and subcontracts and never edits. Visibility is the domain's
 * one rule (OversightScope), read from the database.
 */
export default class OversightAuditPolicy extends BasePolicy {
  /** The list page: everyone signed in; the list itself is scoped. */
  viewAny(user: User) {
    return user.isActive
  }

  async view(user: User, audit: OversightAudit) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(audit.contractId)
  }

  /** Logging an audit of this contract. */
  async create(user: User, contract: Contract) {
    return this.#wardEditor(user, contract.id)
  }

  /** Answers, findings, corrective actions and attachments. */
  async update(user: User, audit: OversightAudit) {
    return this.#wardEditor(user, audit.contractId)
  }

  async #wardEditor(user: User, contractId: number) {
    if (user.isContractorUser) return false
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OversightScope.for(user)
    return scope.includesDepartmentOf(contractId)
  }
}
