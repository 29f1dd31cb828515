import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import Approvers from '#services/approvals/approvers'
import ApprovalNotices from '#services/approvals/approval_notices'

/**
 * The drafter asks the department's approvers to approve the reply
 * (電子的な承認依頼), who are mailed. Only a draft or a returned reply can be submitted.
 */
@inject()
export default class RequestReplyApproval {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock,
    protected notices: ApprovalNotices
  ) {}

  async handle(opinion: Opinion, reply: OpinionReply, user: User): Promise<void> {
    if (!['draft', 'returned'].includes(reply.status))
      throw new DomainError('opinions.errors.reply_state', { field: 'body' })
    await db.transaction(async (trx) => {
      reply.useTransaction(trx)
      reply.merge({
        status: 'awaiting_approval',
        requestedAt: this.clock.now(),
        requestedByUserId: user.id,
        returnComment: null,
        approvalEscalatedAt: null,
      })
      await reply.save()
      opinion.useTransaction(trx)
      opinion.status = 'awaiting_approval'
      await opinion.save()
      await OpinionHistory.record(trx, opinion, {
        kind: 'reply_requested',
        userId: user.id,
        departmentId: reply.departmentId,
      })
      await this.auditLog.record(
        { action: 'opinion.reply_request', subject: opinion, details: { reply: reply.id } },
        trx
      )
    })
    await this.notices.requested(Approvers.forReply(reply, opinion), user)
  }
}
