import type User from '#models/user'
import type PersonalDataSystem from '#models/personal_data_system'
import BasePolicy from '#policies/base_policy'
import RegisterScope from '#builders/register_scope'
import { WARD_ROLES } from '#enums/role'

/**
 * The register: every ward role reads the systems of its own department (the
 * privacy office and administrators read all); department staff and
 * supervisors edit their department's systems, privacy officers every one.
 * Which departments a user sees is the register's one rule (RegisterScope).
 */
export default class SystemPolicy extends BasePolicy {
  viewAny(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  async view(user: User, system: PersonalDataSystem) {
    if (!this.hasRole(user, ...WARD_ROLES)) return false
    const scope = await RegisterScope.for(user)
    return scope.includesDepartment(system.departmentId)
  }

  create(user: User) {
    return this.hasRole(user, 'privacy_officer', 'department_staff', 'supervisor')
  }

  /** Editing a system, or creating one for this department. */
  async editFor(user: User, departmentId: number) {
    if (this.hasRole(user, 'privacy_officer')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await RegisterScope.for(user)
    return scope.includesDepartment(departmentId)
  }

  async update(user: User, system: PersonalDataSystem) {
    return this.editFor(user, system.departmentId)
  }
}
