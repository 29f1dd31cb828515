import type User from '#models/user'
import type Contract from '#models/contract'
import type IncidentReport from '#models/incident_report'
import BasePolicy from '#policies/base_policy'
import OversightScope from '#builders/oversight_scope'
import { WARD_ROLES } from '#enums/role'

/**
 * Incident reports follow their contract. A contractor user files and
 * updates reports of its own contracts (as contractor 乙, or of the
 * subcontracts under them); ward staff of the system's department and the
 * privacy office do too, and only the ward records the reports to the
 * Commission. Visibility is the domain's one rule (OversightScope), read
 * from the database: nothing needs to be preloaded.
 */
export default class IncidentReportPolicy extends BasePolicy {
  viewAny(user: User) {
    if (user.isContractorUser) return user.contractorId !== null
    return this.hasRole(user, ...WARD_ROLES)
  }

  async view(user: User, report: IncidentReport) {
    const scope = await OversightScope.for(user)
    return scope.includesContract(report.contractId)
  }

  /** Filing a new report for the contract. */
  async fileFor(user: User, contract: Contract) {
    if (user.isContractorUser) {
      const scope = await OversightScope.for(user)
      return scope.includesContract(contract.id)
    }
    return this.#wardEditor(user, contract.id)
  }

  async update(user: User, report: IncidentReport) {
    if (user.isContractorUser) {
      const scope = await OversightScope.for(user)
      return scope.includesContract(report.contractId)
    }
    return this.#wardEditor(user, report.contractId)
  }

  /** The ward's own entries: 区の指示 and the reports to the Commission. */
  async manage(user: User, report: IncidentReport) {
    return !user.isContractorUser && this.#wardEditor(user, report.contractId)
  }

  /** Recording the notification of the individuals (done by the ward or on its instruction). */
  async notify(user: User, report: IncidentReport) {
    return this.update(user, report)
  }

  /** Privacy officers for any contract; department staff and supervisors for their department's. */
  async #wardEditor(user: User, contractId: number) {
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OversightScope.for(user)
    return scope.includesDepartmentOf(contractId)
  }
}
