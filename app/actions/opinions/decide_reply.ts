import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import SeparationOfDuties from '#services/separation_of_duties'

/**
 * The supervisor's decision on a reply waiting for approval: approve it
 * (it may then be sent), or send it back to the drafter with a comment.
 * Either way the opinion is back "in progress" until the reply is sent.
 * Nobody decides on a reply they drafted or asked to have approved.
 */
@inject()
export default class DecideReply {
  constructor(protected clock: Clock) {}

  async approve(opinion: Opinion, reply: OpinionReply, user: User): Promise<void> {
    await this.#decide(opinion, reply, user, 'reply_approved', {
      status: 'approved',
      approvedByUserId: user.id,
      approvedAt: this.clock.now(),
    })
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
      'reply_returned',
      { status: 'returned', returnComment: comment },
      comment
    )
  }

  async #decide(
    opinion: Opinion,
    reply: OpinionReply,
    user: User,
    kind: 'reply_approved' | 'reply_returned',
    changes: Partial<OpinionReply>,
    comment?: string
  ) {
    SeparationOfDuties.refuseOwnWork(user, reply)
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
        body: comment ?? null,
      })
      await AuditLogger.record(
        { action: `opinion.${kind}`, subject: opinion, details: { reply: reply.id } },
        trx
      )
    })
  }
}
