import type User from '#models/user'
import type Opinion from '#models/opinion'
import type OpinionEvent from '#models/opinion_event'
import type OpinionReply from '#models/opinion_reply'
import type OpinionAttachment from '#models/opinion_attachment'
import OpinionScope from '#builders/opinion_scope'
import BasePolicy from '#policies/base_policy'
import Approvers from '#services/approvals/approvers'

/**
 * 区民の声: the opinion office (operators) takes in, forwards and tracks
 * every opinion; departments see and handle what is forwarded to them, the
 * lead department drafts the reply, its approver approves it. Which
 * opinions and departments are the user's comes from OpinionScope, the
 * domain's one visibility rule.
 */
export default class OpinionPolicy extends BasePolicy {
  viewAny(user: User) {
    return !user.isContractorUser
  }

  /** Letters, postcards, mail, FAX, counter and call-center intake. */
  intake(user: User) {
    return this.hasRole(user, 'operator', 'admin')
  }

  async view(user: User, opinion: Opinion) {
    if (user.isContractorUser) return false
    const scope = await OpinionScope.for(user)
    return scope.includesOpinion(opinion)
  }

  /** Operators, or the lead department passing it on to related departments. */
  async forward(user: User, opinion: Opinion) {
    if (opinion.status === 'closed') return false
    if (this.hasRole(user, 'operator', 'admin')) return true
    return this.#leadsIt(user, opinion)
  }

  /** A department records its handling of an opinion forwarded to it. */
  async handle(user: User, opinion: Opinion, departmentId: number) {
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    if (opinion.status === 'closed') return false
    const scope = await OpinionScope.for(user)
    return scope.includesForwarding(opinion, departmentId)
  }

  /** Naming the department's person (担当者) for it: whoever records the department's handling. */
  async assign(user: User, opinion: Opinion, departmentId: number) {
    return this.handle(user, opinion, departmentId)
  }

  async addNote(user: User, opinion: Opinion) {
    return this.view(user, opinion)
  }

  /**
   * 受付内容の訂正 (subject, topic, channel, the submitter's contact): whoever may take
   * opinions in (the opinion office), and the privacy officers.
   */
  correctDetails(user: User) {
    return this.hasRole(user, 'operator', 'admin', 'privacy_officer')
  }

  /** Letters, FAX images and photos: the opinion office, and the departments it went to. */
  async attach(user: User, opinion: Opinion) {
    if (!this.hasRole(user, 'operator', 'admin', 'department_staff', 'supervisor')) return false
    return this.view(user, opinion)
  }

  /** A wrongly attached file: removed by whoever attached it, or by the opinion office. */
  async removeAttachment(user: User, opinion: Opinion, attachment: OpinionAttachment) {
    if (attachment.opinionId !== opinion.id || !(await this.view(user, opinion))) return false
    return attachment.uploadedByUserId === user.id || this.hasRole(user, 'operator', 'admin')
  }

  /** The author corrects their own entry; the opinion office corrects any. */
  async correct(user: User, opinion: Opinion, event: OpinionEvent) {
    if (event.opinionId !== opinion.id || !(await this.view(user, opinion))) return false
    return event.userId === user.id || this.hasRole(user, 'operator', 'admin')
  }

  async draftReply(user: User, opinion: Opinion) {
    if (!opinion.isOpen || !opinion.replyWanted || opinion.anonymous) return false
    return this.#leadsIt(user, opinion)
  }

  /** The drafting department's approvers (or, when none can act, its acting approvers and the privacy officers): Approvers. */
  async approveReply(user: User, reply: OpinionReply) {
    if (reply.status !== 'awaiting_approval' || reply.departmentId === null) return false
    return Approvers.mayApprove(user, Approvers.forReply(reply))
  }

  async sendReply(user: User, reply: OpinionReply) {
    if (reply.status !== 'approved') return false
    if (this.hasRole(user, 'operator', 'admin')) return true
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OpinionScope.for(user)
    return scope.includesDepartment(reply.departmentId)
  }

  /** A reply as a 回答書 (PDF): whoever sees the opinion sees its replies. */
  async printReply(user: User, opinion: Opinion, reply: OpinionReply) {
    if (reply.opinionId !== opinion.id) return false
    return this.view(user, opinion)
  }

  async close(user: User, opinion: Opinion) {
    if (opinion.status === 'closed') return false
    if (opinion.status === 'awaiting_approval') return false
    if (this.hasRole(user, 'operator', 'admin')) return true
    return this.#leadsIt(user, opinion)
  }

  async #leadsIt(user: User, opinion: Opinion) {
    if (!this.hasRole(user, 'department_staff', 'supervisor')) return false
    const scope = await OpinionScope.for(user)
    return scope.includesDepartment(opinion.leadDepartmentId)
  }
}
