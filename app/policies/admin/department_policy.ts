import type User from '#models/user'
import type Department from '#models/department'
import BasePolicy from '#policies/base_policy'
import RegisterScope from '#builders/register_scope'
import { WARD_ROLES } from '#enums/role'

export default class DepartmentPolicy extends BasePolicy {
  /** Ward staff browse the organisation; contractor users do not. */
  viewAny(user: User) {
    return WARD_ROLES.includes(user.role)
  }

  /** A department page shows its register records: own department (and below) only (RegisterScope). */
  async view(user: User, department: Department) {
    if (!this.hasRole(user, ...WARD_ROLES)) return false
    const scope = await RegisterScope.for(user)
    return scope.includesDepartment(department.id)
  }

  manage(user: User) {
    return this.hasRole(user, 'admin')
  }
}
