import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionEvent from '#models/opinion_event'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import OpinionHistory from '#services/opinions/opinion_history'

/**
 * Corrects a history entry: the original stays as it was and a correction
 * entry, pointing at it, carries the corrected text, who and when.
 */
@inject()
export default class CorrectHistoryEntry {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    opinion: Opinion,
    original: OpinionEvent,
    input: { note: string },
    user: User
  ): Promise<void> {
    await db.transaction(async (trx) => {
      const correction = await OpinionHistory.record(trx, opinion, {
        kind: 'correction',
        userId: user.id,
        departmentId: original.departmentId,
        body: input.note,
        correctsEventId: original.id,
      })
      await this.auditLog.record(
        {
          action: 'opinion.correct_history',
          subject: opinion,
          details: { event: original.id, correction: correction.id },
        },
        trx
      )
    })
  }
}
