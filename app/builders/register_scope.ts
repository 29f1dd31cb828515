import Contract from '#models/contract'
import DataItem from '#models/data_item'
import DepartmentDirectory, { type DirectoryTree } from '#services/department_directory'
import PersonalDataSystem from '#models/personal_data_system'
import type User from '#models/user'
import DepartmentScope from '#builders/department_scope'

/** Whether an account sees a contract, by contract id, kept as long as that account instance. */
const visibleContracts = new WeakMap<User, Map<number, Promise<boolean>>>()

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
  includesContract(contract: Contract): Promise<boolean> {
    return this.includesContractId(contract.id)
  }

  /**
   * Whether the contract of this id (as stored) is one the user sees. A page asks for each
   * thing it offers (view, submit a roster, submit a certificate …): the answer is read once
   * per contract and kept with the request's account, as DepartmentDirectory keeps the
   * organisation; a request that changes who sees a contract redirects.
   */
  includesContractId(contractId: number): Promise<boolean> {
    if (this.user.isContractorUser && this.user.contractorId === null) {
      return Promise.resolve(false)
    }
    const answers = this.#answers()
    let answer = answers.get(contractId)
    if (!answer) {
      answer = this.contracts()
        .where('id', contractId)
        .select('id')
        .first()
        .then((found) => found !== null)
      answers.set(contractId, answer)
    }
    return answer
  }

  /**
   * Contracts read through `contracts()` are visible: remembered as such, so a page that
   * asks a policy about each of them (which may the user file a report for …) reads no more.
   */
  rememberVisible(contracts: Array<Pick<Contract, 'id'>>) {
    const answers = this.#answers()
    for (const contract of contracts) answers.set(contract.id, Promise.resolve(true))
  }

  #answers() {
    let answers = visibleContracts.get(this.user)
    if (!answers) {
      answers = new Map()
      visibleContracts.set(this.user, answers)
    }
    return answers
  }

  /** The organisation tree limited to the visible departments. */
  async departments(): Promise<DirectoryTree> {
    const tree = await DepartmentDirectory.treeFor(this.user)
    return tree.filter(({ department }) => this.includesDepartment(department.id))
  }

  /** The departments the user may register systems for (privacy officers: every one). */
  async editableDepartments(): Promise<DirectoryTree> {
    const tree = await DepartmentDirectory.treeFor(this.user)
    return tree.filter(({ department }) => this.editsDepartment(department.id))
  }
}
