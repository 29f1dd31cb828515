import type User from '#models/user'
import type FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import BasePolicy from '#policies/base_policy'
import FaqScope from '#builders/faq_scope'
import FaqQueries from '#services/faq/faq_queries'
import { WARD_ROLES } from '#enums/role'
import Approvers from '#services/approvals/approvers'

/**
 * FAQ entries. Department staff and supervisors draft their department's
 * entries and request approval; the department's approver (Approvers) approves
 * or sends the change back (never their own request); reading and departments
 * follow FaqScope. Privacy officers and administrators import legacy data.
 */
export default class FaqPolicy extends BasePolicy {
  /** The management list of entries (drafts, approvals). */
  viewAny(user: User) {
    return this.hasRole(user, 'department_staff', 'supervisor', 'privacy_officer', 'admin')
  }

  /** The fast search page: ward staff, operators, and contractor users with a contractor. */
  search(user: User) {
    if (user.isContractorUser) return user.contractorId !== null
    return this.hasRole(user, ...WARD_ROLES)
  }

  async view(user: User, entry: FaqEntry) {
    const scope = await FaqScope.for(user)
    return scope.canRead(entry)
  }

  /** Version history and differences: the entry's editors and reviewers. */
  async viewHistory(user: User, entry: FaqEntry) {
    return this.#editor(user, entry.departmentId)
  }

  create(user: User) {
    return this.hasRole(user, 'department_staff', 'supervisor', 'privacy_officer', 'admin')
  }

  /** Writing an entry for this department. */
  async createFor(user: User, departmentId: number) {
    return this.#editor(user, departmentId)
  }

  async update(user: User, entry: FaqEntry) {
    return entry.isEditable && (await this.#editor(user, entry.departmentId))
  }

  async requestApproval(user: User, entry: FaqEntry) {
    return entry.status === 'draft' && (await this.#editor(user, entry.departmentId))
  }

  /**
   * Approving or returning the change awaiting approval (none: no): the
   * department's approvers or, when none can act, its acting approvers and the
   * privacy officers (Approvers); never the one who asked nor the last editor.
   * `pending`: the change as the page already read it (FaqQueries.pending), if it did.
   */
  async decide(user: User, entry: FaqEntry, pending?: FaqVersion | null) {
    if (entry.status !== 'awaiting_approval') return false
    const change = pending === undefined ? await FaqQueries.pending(entry) : pending
    return change !== null && Approvers.mayApprove(user, Approvers.forFaqChange(entry, change))
  }

  /** Taking a published entry offline at once (no approval: removing wrong information must be fast). */
  async withdraw(user: User, entry: FaqEntry) {
    return (
      entry.isLive &&
      entry.status !== 'awaiting_approval' &&
      this.hasRole(user, 'supervisor') &&
      (await this.#inScope(user, entry.departmentId))
    )
  }

  /** The CSV of the entries the user manages. */
  export(user: User) {
    return this.viewAny(user)
  }

  /** Legacy FAQ and opinion imports. */
  importLegacy(user: User) {
    return this.hasRole(user, 'privacy_officer', 'admin')
  }

  /** Seeing internal notes (never citizens, never contractor users). */
  seeInternalNotes(user: User) {
    return FaqScope.seesInternalNotes(user)
  }

  async #editor(user: User, departmentId: number) {
    if (this.hasRole(user, 'privacy_officer', 'admin')) return true
    return (
      this.hasRole(user, 'department_staff', 'supervisor') &&
      (await this.#inScope(user, departmentId))
    )
  }

  /** Whether the department is one of the user's (FaqScope). */
  async #inScope(user: User, departmentId: number) {
    const scope = await FaqScope.for(user)
    return scope.includesDepartment(departmentId)
  }
}
