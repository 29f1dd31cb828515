import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'

/** The drafter asks the department's supervisor to approve the reply (電子的な承認依頼). */
export default class RequestReplyApproval {
  async handle(opinion: Opinion, reply: OpinionReply, user: User): Promise<boolean> {
    if (!['draft', 'returned'].includes(reply.status)) return false
    await db.transaction(async (trx) => {
      reply.useTransaction(trx)
      reply.merge({ status: 'awaiting_approval', requestedAt: DateTime.now(), requestedByUserId: user.id, returnComment: null })
      await reply.save()
      opinion.useTransaction(trx)
      opinion.status = 'awaiting_approval'
      await opinion.save()
      await OpinionHistory.record(trx, opinion, { kind: 'reply_requested', userId: user.id, departmentId: reply.departmentId })
      await AuditLogger.record({ action: 'opinion.reply_request', subject: opinion, details: { reply: reply.id } }, trx)
    })
    return true
  }
}
