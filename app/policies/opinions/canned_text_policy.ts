import type User from '#models/user'
import type CannedText from '#models/canned_text'
import BasePolicy from '#policies/base_policy'
import DepartmentScope from '#builders/department_scope'

/**
 * 定型文 (canned reply texts). Department staff and supervisors keep those
 * of their department (and the sections below it) and insert them into
 * replies; the privacy office and administrators see and edit every
 * department's. Operators and contractor users have none.
 */
export default class CannedTextPolicy extends BasePolicy {
  viewAny(user: User) {
    return this.hasRole(user, 'department_staff', 'supervisor', 'privacy_officer', 'admin')
  }

  create(user: User) {
    return this.viewAny(user)
  }

  /** Writing a text for this department. */
  async createFor(user: User, departmentId: number) {
    return this.#editor(user, departmentId)
  }

  async update(user: User, text: CannedText) {
    return this.#editor(user, text.departmentId)
  }

  async delete(user: User, text: CannedText) {
    return this.#editor(user, text.departmentId)
  }

  /** Inserting into a reply draft: a text of one of the drafter's departments. */
  async use(user: User, text: CannedText) {
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await DepartmentScope.for(user)
    return scope.includes(text.departmentId)
  }

  async #editor(user: User, departmentId: number) {
    if (!this.viewAny(user)) return false
    const scope = await DepartmentScope.for(user)
    return scope.includes(departmentId)
  }
}
