import type User from '#models/user'
import type Department from '#models/department'
import BasePolicy from '#policies/base_policy'
import { WARD_ROLES } from '#enums/role'

export default class DepartmentPolicy extends BasePolicy {
  /** Ward staff browse the organisation; contractor users do not. */
  viewAny(user: User) {
    return WARD_ROLES.includes(user.role)
  }

  /** A department page shows its records: own department (and below) only. */
  async view(user: User, department: Department) {
    return this.hasRole(user, ...WARD_ROLES) && (await this.canSeeDepartment(user, department.id))
  }

  manage(user: User) {
    return this.hasRole(user, 'admin')
  }
}
