import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'

export type CloseResult = { ok: true } | { ok: false; field: string; message: string }

/**
 * Closes an opinion (完了). One that owed a reply and got none is closed
 * only with a reason (e.g. the caller withdrew the question).
 */
export default class CloseOpinion {
  async handle(opinion: Opinion, input: { note?: string }, user: User): Promise<CloseResult> {
    const replyMissing = opinion.replyWanted && !opinion.anonymous && opinion.status !== 'replied'
    if (replyMissing && !input.note) return { ok: false, field: 'closeNote', message: 'opinions.errors.close_reason' }
    await db.transaction(async (trx) => {
      opinion.useTransaction(trx)
      opinion.merge({ status: 'closed', closedAt: DateTime.now() })
      await opinion.save()
      await OpinionHistory.record(trx, opinion, { kind: 'closed', userId: user.id, body: input.note ?? null })
      await AuditLogger.record({ action: 'opinion.close', subject: opinion }, trx)
    })
    return { ok: true }
  }
}
