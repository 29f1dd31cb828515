import CouncilItem from '#models/council_item'
import PersonalDataSystem from '#models/personal_data_system'
import type User from '#models/user'
import DepartmentScope from '#builders/department_scope'

/**
 * Who may see which rows of the council: the one rule the council's lists,
 * policies and services use.
 *
 * Ward staff see the items and systems of their own department and the
 * departments below it; the privacy office and administrators see every
 * department. Department staff and supervisors draft items for the systems
 * they see; the privacy office drafts for any system.
 *
 *     const scope = await CouncilScope.for(user)
 *     const items = await scope.items().preload('meeting')
 */
export default class CouncilScope {
  private constructor(
    readonly user: User,
    private readonly visible: DepartmentScope
  ) {}

  static async for(user: User): Promise<CouncilScope> {
    return new CouncilScope(user, await DepartmentScope.for(user))
  }

  /** Whether the department's items are visible (no department: the organisation-wide roles only). */
  includesDepartment(departmentId: number | null): boolean {
    return this.visible.includes(departmentId)
  }

  /** Whether the user may draft and edit items for the department (privacy officers: any). */
  draftsFor(departmentId: number): boolean {
    const { role } = this.user
    if (role === 'privacy_officer') return true
    return (
      (role === 'department_staff' || role === 'supervisor') &&
      this.includesDepartment(departmentId)
    )
  }

  /** The council items of the visible departments. */
  items() {
    return this.visible.restrict(CouncilItem.query())
  }

  /** The registered systems of the visible departments. */
  systems() {
    return this.visible.restrict(PersonalDataSystem.query())
  }

  /**
   * The systems of those given (the scope's systems, as read for the page) that the user may
   * start an item for: not retired, of a department the user drafts for.
   */
  draftable(systems: PersonalDataSystem[]): PersonalDataSystem[] {
    return systems.filter(
      (system) => system.lifecycle !== 'retired' && this.draftsFor(system.departmentId)
    )
  }
}
