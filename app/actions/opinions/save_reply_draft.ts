import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Opinion from '#models/opinion'
import OpinionReply from '#models/opinion_reply'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSearch from '#services/opinions/opinion_search'
import SeparationOfDuties from '#services/separation_of_duties'
import DomainError from '#exceptions/domain_error'
import type { replyDraftValidator } from '#validators/opinions/opinion'

export type ReplyDraftInput = Infer<typeof replyDraftValidator>

/**
 * Writes or rewrites the lead department's reply draft. A reply waiting
 * for approval, or approved, is not edited: an approver sends it back
 * first. A refusal is a DomainError.
 */
@inject()
export default class SaveReplyDraft {
  constructor(private auditLog: AuditLogger) {}

  async handle(opinion: Opinion, input: ReplyDraftInput, user: User): Promise<OpinionReply> {
    if (input.method === 'portal' && !opinion.citizenId) {
      throw new DomainError('opinions.errors.portal_needs_account', { field: 'method' })
    }
    const current = await SaveReplyDraft.activeReply(opinion)
    if (current && !['draft', 'returned'].includes(current.status)) {
      throw new DomainError('opinions.errors.reply_locked', { field: 'body' })
    }
    return db.transaction(async (trx) => {
      const saved = current ?? new OpinionReply()
      saved.useTransaction(trx)
      saved.merge({
        opinionId: opinion.id,
        departmentId: opinion.leadDepartmentId,
        body: input.body,
        method: input.method,
        status: 'draft',
        draftedByUserId: user.id,
        // Everyone who wrote a version stays a drafter: none of them approves it.
        drafterUserIds: SeparationOfDuties.withDrafter(
          { drafterUserIds: saved.drafterUserIds ?? [] },
          user
        ),
      })
      await saved.save()
      await OpinionHistory.record(trx, opinion, {
        kind: 'reply_drafted',
        userId: user.id,
        departmentId: opinion.leadDepartmentId,
      })
      await OpinionSearch.reindex(opinion.id, trx)
      await this.auditLog.record(
        { action: 'opinion.reply_draft', subject: opinion, details: { reply: saved.id } },
        trx
      )
      return saved
    })
  }

  /** The reply in progress (not yet sent), if any. */
  static activeReply(opinion: Opinion) {
    return OpinionReply.query()
      .where('opinionId', opinion.id)
      .whereNot('status', 'sent')
      .orderBy('id', 'desc')
      .first()
  }
}
