import AuditLog from '#models/audit_log'
import Contractor from '#models/contractor'
import Department from '#models/department'
import User from '#models/user'
import DepartmentDirectory from '#services/department_directory'

export interface AuditLogFilters {
  action: string
  subjectType: string
  subjectId: string
}

/**
 * What the administration pages show. The audit trail is read by the
 * privacy office and administrators, accounts and departments are managed
 * by administrators (AuditLogPolicy, UserPolicy, DepartmentPolicy decide
 * who gets here); those roles see every row, so the scope limits nothing
 * and only names the base queries of the domain.
 *
 *     const scope = AdminScope.for(user)
 *     const entries = await scope.auditLogs(filters).paginate(page, 50)
 */
export default class AdminScope {
  private constructor(readonly user: User) {}

  static for(user: User): AdminScope {
    return new AdminScope(user)
  }

  /** Audit log entries, newest first: action by prefix, subject type and id exactly. */
  auditLogs(filters: AuditLogFilters) {
    return AuditLog.query()
      .if(filters.action, (query) => query.where('action', 'like', `${filters.action}%`))
      .if(filters.subjectType, (query) => query.where('subjectType', filters.subjectType))
      .if(filters.subjectId, (query) => query.where('subjectId', filters.subjectId))
      .orderBy('id', 'desc')
  }

  /** Staff and contractor accounts with their department and contractor, by role and address. */
  users() {
    return User.query().preload('department').preload('contractor').orderBy('role').orderBy('email')
  }

  /** One account (404 otherwise); the administrator's own is the signed-in user, not read again. */
  async account(id: number | string): Promise<User> {
    if (Number(id) === this.user.id) return this.user
    return User.findOrFail(id)
  }

  /** One department (404 otherwise). */
  department(id: number) {
    return Department.findOrFail(id)
  }

  /** Departments as a tree, for the forms. */
  departmentTree() {
    return DepartmentDirectory.treeFor(this.user)
  }

  /** Choices of the account form: departments and contractors. */
  async userChoices() {
    return {
      departments: await this.departmentTree(),
      contractors: await Contractor.query().orderBy('name'),
    }
  }
}
