import type User from '#models/user'
import type CouncilItem from '#models/council_item'
import BasePolicy from '#policies/base_policy'
import CouncilScope from '#builders/council_scope'
import Approvers from '#services/approvals/approvers'
import { WARD_ROLES } from '#enums/role'
import { EDITABLE_COUNCIL_STATUSES } from '#enums/council'

/**
 * Council items: a department drafts items for its systems and its
 * approver approves them before submission; the privacy office schedules
 * them on meetings and records the council's decision. Which departments a
 * user sees comes from CouncilScope.
 */
export default class CouncilItemPolicy extends BasePolicy {
  viewAny(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  async view(user: User, item: CouncilItem) {
    if (!this.hasRole(user, ...WARD_ROLES)) return false
    const scope = await CouncilScope.for(user)
    return scope.includesDepartment(item.departmentId)
  }

  /** Drafting and editing for a department (privacy officers for any). */
  async draftFor(user: User, departmentId: number) {
    const scope = await CouncilScope.for(user)
    return scope.draftsFor(departmentId)
  }

  /** Drafts, and approved items not yet submitted (the edit needs approving again). */
  async update(user: User, item: CouncilItem) {
    return (
      EDITABLE_COUNCIL_STATUSES.includes(item.status) &&
      (await this.draftFor(user, item.departmentId))
    )
  }

  /**
   * The department's approvers (or, when none can act, its acting approvers and the privacy
   * officers: Approvers) approve a draft before submission; never one who drafted or edited it.
   */
  async approve(user: User, item: CouncilItem) {
    return Approvers.mayApprove(user, Approvers.forCouncilItem(item))
  }

  /** 承認依頼: a draft's drafters ask the department's approvers (once per draft). */
  async requestApproval(user: User, item: CouncilItem) {
    return item.status === 'draft' && !item.requestedAt && this.draftFor(user, item.departmentId)
  }

  async submit(user: User, item: CouncilItem) {
    return this.draftFor(user, item.departmentId)
  }

  /** Meetings, agendas and decisions are kept by the privacy office. */
  manageCouncil(user: User) {
    return this.hasRole(user, 'privacy_officer')
  }
}
