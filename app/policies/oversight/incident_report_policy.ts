import type User from '#models/user'
import type Contract from '#models/contract'
import type IncidentReport from '#models/incident_report'
import BasePolicy from '#policies/base_policy'
import ContractPolicy from '#policies/register/contract_policy'
import { WARD_ROLES } from '#enums/role'

/**
 * Incident reports follow their contract. A contractor user files and
 * updates reports of its own contracts (as contractor 乙, or of the
 * subcontracts under them); ward staff of the system's department and the
 * privacy office do too, and only the ward records the reports to the
 * Commission. Expects `contract.system` (and `contract.parent`) loaded.
 */
export default class IncidentReportPolicy extends BasePolicy {
  viewAny(user: User) {
    if (user.isContractorUser) return user.contractorId !== null
    return this.hasRole(user, ...WARD_ROLES)
  }

  async view(user: User, report: IncidentReport) {
    return new ContractPolicy().view(user, report.contract)
  }

  /** Filing a new report for the contract. */
  async fileFor(user: User, contract: Contract) {
    if (user.isContractorUser) return new ContractPolicy().view(user, contract)
    return this.#wardEditor(user, contract)
  }

  async update(user: User, report: IncidentReport) {
    return this.fileFor(user, report.contract)
  }

  /** The ward's own entries: 区の指示 and the reports to the Commission. */
  async manage(user: User, report: IncidentReport) {
    return !user.isContractorUser && this.#wardEditor(user, report.contract)
  }

  /** Recording the notification of the individuals (done by the ward or on its instruction). */
  async notify(user: User, report: IncidentReport) {
    return this.update(user, report)
  }

  /** Privacy officers for any contract; department staff and supervisors for their department's. */
  async #wardEditor(user: User, contract: Contract) {
    if (this.hasRole(user, 'privacy_officer')) return true
    return this.hasRole(user, 'department_staff', 'supervisor') && (await this.canSeeDepartment(user, contract.system.departmentId))
  }
}
