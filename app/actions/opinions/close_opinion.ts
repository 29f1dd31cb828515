import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'

/**
 * Closes an opinion (完了). One that owed a reply and got none is closed
 * only with a reason (e.g. the caller withdrew the question): without it,
 * a DomainError on `closeNote`.
 */
@inject()
export default class CloseOpinion {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock
  ) {}

  async handle(opinion: Opinion, input: { note?: string }, user: User): Promise<void> {
    const replyMissing = opinion.replyWanted && !opinion.anonymous && opinion.status !== 'replied'
    if (replyMissing && !input.note)
      throw new DomainError('opinions.errors.close_reason', { field: 'closeNote' })
    await db.transaction(async (trx) => {
      opinion.useTransaction(trx)
      opinion.merge({ status: 'closed', closedAt: this.clock.now() })
      await opinion.save()
      await OpinionHistory.record(trx, opinion, {
        kind: 'closed',
        userId: user.id,
        body: input.note ?? null,
      })
      await this.auditLog.record({ action: 'opinion.close', subject: opinion }, trx)
    })
  }
}
