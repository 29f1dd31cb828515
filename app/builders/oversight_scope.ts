import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Contract from '#models/contract'
import Department from '#models/department'
import DepartmentDirectory, { type DirectoryTree } from '#services/department_directory'
import IncidentReport from '#models/incident_report'
import OversightAudit from '#models/oversight_audit'
import RegisterScope from '#builders/register_scope'
import { WARD_ROLES } from '#enums/role'
import type User from '#models/user'

type ContractIds = ModelQueryBuilderContract<typeof Contract, Contract>

/**
 * Who may see which rows of contract oversight (on-site audits, incident
 * reports, rosters, certificates, periodic reports, training records,
 * duties): the one rule every list, policy and service of the domain uses.
 *
 * Everything follows its contract, so the rule is the register's
 * (RegisterScope): ward staff see the contracts of their departments'
 * systems (the privacy office and administrators every one), a contractor
 * user the contracts of its own company and the subcontracts under them.
 * Membership checks read the database, so a policy needs nothing preloaded.
 *
 *     const scope = await OversightScope.for(user)
 *     const reports = await scope.incidentReports().where('reportable', true)
 */
export default class OversightScope {
  private constructor(
    readonly user: User,
    private readonly register: RegisterScope
  ) {}

  static async for(user: User): Promise<OversightScope> {
    return new OversightScope(user, await RegisterScope.for(user))
  }

  /** The visible departments; null = every department. */
  get departmentIds(): number[] | null {
    return this.register.departmentIds
  }

  /** Whether the department's rows are visible. */
  includesDepartment(departmentId: number | null): boolean {
    return this.register.includesDepartment(departmentId)
  }

  /**
   * Whether the department of the contract's system (as stored) is visible. For ward staff
   * that is whether they see the contract (RegisterScope.contracts: the contracts of their
   * departments' systems), asked once per contract and request; a contractor user's own
   * departments are none.
   */
  async includesDepartmentOf(contractId: number): Promise<boolean> {
    if (this.departmentIds === null) return true
    if (this.user.isContractorUser || this.departmentIds.length === 0) return false
    return this.register.includesContractId(contractId)
  }

  /** The contracts (and subcontracts) whose oversight records the user sees. */
  contracts(): ContractIds {
    return this.register.contracts()
  }

  /** Contracts read through `contracts()`: visible, and remembered so (RegisterScope.rememberVisible). */
  rememberVisible(contracts: Array<Pick<Contract, 'id'>>) {
    this.register.rememberVisible(contracts)
  }

  /** Whether the user sees the oversight records of the contract (contractor users and ward roles only). */
  async includesContract(contractId: number): Promise<boolean> {
    const { user } = this
    if (!user.isContractorUser && !WARD_ROLES.includes(user.role)) return false
    if (user.isContractorUser && user.contractorId === null) return false
    return this.register.includesContractId(contractId)
  }

  /** Incident reports of the visible contracts. */
  incidentReports() {
    return IncidentReport.query().whereIn('contractId', this.#contractIds())
  }

  /** On-site audits of the visible contracts. */
  audits() {
    return OversightAudit.query().whereIn('contractId', this.#contractIds())
  }

  /** The organisation tree limited to the visible departments (the dashboard's filter). */
  async departments(): Promise<DirectoryTree> {
    const tree = await DepartmentDirectory.treeFor(this.user)
    return tree.filter(({ department }) => this.includesDepartment(department.id))
  }

  /**
   * The departments a dashboard or report covers: the chosen one and those
   * below it when it is visible, otherwise every visible department (null =
   * all). The chosen department comes back only when it is visible.
   */
  async dashboardDepartments(
    chosen: number | undefined | null
  ): Promise<{ departmentId: number | null; departmentIds: number[] | null }> {
    const departmentId = chosen && this.includesDepartment(chosen) ? chosen : null
    return {
      departmentId,
      departmentIds: departmentId
        ? await Department.subtreeIds(departmentId, this.user)
        : this.departmentIds,
    }
  }

  /** The ids of the visible contracts, as a subquery. */
  #contractIds(): ContractIds {
    return this.contracts().select('id')
  }
}
