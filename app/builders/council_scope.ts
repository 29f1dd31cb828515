import CouncilItem from '#models/council_item'
import PersonalDataSystem from '#models/personal_data_system'
import type User from '#models/user'

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
    /** The visible departments; null = every department. */
    readonly departmentIds: number[] | null
  ) {}

  static async for(user: User): Promise<CouncilScope> {
    return new CouncilScope(user, await user.visibleDepartmentIds())
  }

  /** Whether the department's items are visible (no department: the organisation-wide roles only). */
  includesDepartment(departmentId: number | null): boolean {
    if (this.departmentIds === null) return true
    return departmentId !== null && this.departmentIds.includes(departmentId)
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
    return CouncilItem.query().if(this.departmentIds !== null, (query) =>
      query.whereIn('departmentId', this.departmentIds!)
    )
  }

  /** The registered systems of the visible departments. */
  systems() {
    return PersonalDataSystem.query().if(this.departmentIds !== null, (query) =>
      query.whereIn('departmentId', this.departmentIds!)
    )
  }

  /** The systems (not retired) the user may start an item for, by name. */
  async draftableSystems(): Promise<PersonalDataSystem[]> {
    const { role } = this.user
    if (role !== 'privacy_officer' && role !== 'department_staff' && role !== 'supervisor')
      return []
    if (
      role !== 'privacy_officer' &&
      this.departmentIds !== null &&
      this.departmentIds.length === 0
    )
      return []
    const query = role === 'privacy_officer' ? PersonalDataSystem.query() : this.systems()
    return query.preload('department').whereNot('lifecycle', 'retired').orderBy('name')
  }
}
