import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import SeparationOfDuties from '#services/separation_of_duties'
import Approvers, {
  type ApprovalDecision,
  type ApproverCapacity,
} from '#services/approvals/approvers'
import ApprovalNotices from '#services/approvals/approval_notices'

/**
 * The approver's decision on a reply waiting for approval: approve it
 * (it may then be sent), or send it back to the drafter with a comment.
 * Either way the opinion is back "in progress" until the reply is sent.
 * Nobody decides on a reply they drafted or asked to have approved. When an
 * acting approver or a privacy officer decides, the history says so and the
 * department is mailed what was decided (approved, or sent back with the
 * comment).
 */
@inject()
export default class DecideReply {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock,
    protected notices: ApprovalNotices
  ) {}

  async approve(opinion: Opinion, reply: OpinionReply, user: User): Promise<void> {
    await this.#decide(
      opinion,
      reply,
      user,
      { status: 'approved', approvedByUserId: user.id, approvedAt: this.clock.now() },
      { outcome: 'approved' }
    )
  }

  async sendBack(
    opinion: Opinion,
    reply: OpinionReply,
    user: User,
    comment: string
  ): Promise<void> {
    await this.#decide(
      opinion,
      reply,
      user,
      { status: 'returned', returnComment: comment },
      { outcome: 'returned', comment }
    )
  }

  async #decide(
    opinion: Opinion,
    reply: OpinionReply,
    user: User,
    changes: Partial<OpinionReply>,
    decision: ApprovalDecision
  ) {
    SeparationOfDuties.refuseOwnWork(user, reply)
    const kind = `reply_${decision.outcome}` as const
    const request = Approvers.forReply(reply, opinion)
    const capacity = await Approvers.capacity(user, request, this.clock.now())
    const instead = capacity !== null && capacity !== 'approver'
    const reason = instead ? await Approvers.fallbackReason(request, this.clock.now()) : null
    const note = reason
      ? ApprovalNotices.historyNote(capacity as ApproverCapacity, reason, decision.outcome)
      : null
    const comment = decision.outcome === 'returned' ? decision.comment : null
    await db.transaction(async (trx) => {
      reply.useTransaction(trx)
      reply.merge(changes)
      await reply.save()
      opinion.useTransaction(trx)
      opinion.status = 'forwarded'
      await opinion.save()
      await OpinionHistory.record(trx, opinion, {
        kind,
        userId: user.id,
        departmentId: reply.departmentId,
        body: [note, comment].filter(Boolean).join('\n') || null,
      })
      await this.auditLog.record(
        {
          action: `opinion.${kind}`,
          subject: opinion,
          details: { reply: reply.id, ...(instead ? { capacity, reason } : {}) },
        },
        trx
      )
    })
    if (instead) await this.notices.decidedInstead(request, user, capacity, decision)
  }
}
