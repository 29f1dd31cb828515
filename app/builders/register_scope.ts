import Contract from '#models/contract'
import DataItem from '#models/data_item'
import Department from '#models/department'
import PersonalDataSystem from '#models/personal_data_system'
import type User from '#models/user'
import DepartmentScope from '#builders/department_scope'

/**
 * Who may see which rows of the register: the one rule every list, policy
 * and service of the register uses.
 *
 * Ward staff see the systems of their own department and the departments
 * below it (the privacy office and administrators see every department), and
 * the contracts, subcontracts and data items of those systems. A contractor
 * user sees the contracts where its company is the contractor (乙), and the
 * subcontracts of those contracts.
 *
 *     const scope = await RegisterScope.for(user)
 *     const systems = await scope.systems().preload('department')
 */
export default class RegisterScope {
  private constructor(
    readonly user: User,
    private readonly visible: DepartmentScope
  ) {}

  static async for(user: User): Promise<RegisterScope> {
    return new RegisterScope(user, await DepartmentScope.for(user))
  }

  /** The visible departments; null = every department. */
  get departmentIds(): number[] | null {
    return this.visible.ids
  }

  /** Whether the user sees every department's rows. */
  get seesAllDepartments(): boolean {
    return this.departmentIds === null
  }

  /** Whether the department's rows are visible (a row of no department is visible to the organisation-wide roles only). */
  includesDepartment(departmentId: number | null): boolean {
    return this.visible.includes(departmentId)
  }

  /** Whether the user may edit rows of the department: privacy officers any, others the visible ones. */
  editsDepartment(departmentId: number | null): boolean {
    return this.user.role === 'privacy_officer' || this.includesDepartment(departmentId)
  }

  /** The registered systems of the visible departments. */
  systems() {
    return this.visible.restrict(PersonalDataSystem.query())
  }

  /** The data items of the visible systems. */
  dataItems() {
    return DataItem.query().if(this.departmentIds !== null, (query) =>
      query.whereIn('systemId', (sub) =>
        sub.from('personal_data_systems').select('id').whereIn('department_id', this.departmentIds!)
      )
    )
  }

  /** Contracts and subcontracts: a contractor user's own (and their subcontracts); ward staff those of the visible systems. */
  contracts() {
    const { user } = this
    if (user.isContractorUser) {
      const contractorId = user.contractorId ?? 0
      return Contract.query().where((inner) =>
        inner
          .where('contractorId', contractorId)
          .orWhereIn('parentContractId', (sub) =>
            sub.from('contracts').select('id').where('contractor_id', contractorId)
          )
      )
    }
    return Contract.query().if(this.departmentIds !== null, (query) =>
      query.whereIn('systemId', (sub) =>
        sub.from('personal_data_systems').select('id').whereIn('department_id', this.departmentIds!)
      )
    )
  }

  /** Whether the contract (as stored) is one the user sees. */
  async includesContract(contract: Contract): Promise<boolean> {
    if (this.user.isContractorUser && this.user.contractorId === null) return false
    const found = await this.contracts().where('id', contract.id).select('id').first()
    return found !== null
  }

  /** The organisation tree limited to the visible departments. */
  async departments(): Promise<Array<{ department: Department; depth: number }>> {
    const tree = await Department.asTree()
    return tree.filter(({ department }) => this.includesDepartment(department.id))
  }

  /** The departments the user may register systems for (privacy officers: every one). */
  async editableDepartments(): Promise<Array<{ department: Department; depth: number }>> {
    const tree = await Department.asTree()
    return tree.filter(({ department }) => this.editsDepartment(department.id))
  }
}
