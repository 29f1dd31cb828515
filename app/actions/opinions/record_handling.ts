import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Opinion from '#models/opinion'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import WardCalendar from '#services/ward_calendar'
import type { handlingValidator } from '#validators/opinions/opinion'

export type HandlingInput = Infer<typeof handlingValidator>

/** A department records what it did (回答・説明・対応); its part is then handled. */
@inject()
export default class RecordHandling {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock
  ) {}

  async handle(opinion: Opinion, input: HandlingInput, user: User): Promise<void> {
    const occurredAt = input.occurredAt
      ? WardCalendar.fromWallClock(input.occurredAt)
      : this.clock.now()
    await db.transaction(async (trx) => {
      await OpinionHistory.record(trx, opinion, {
        kind: 'handled',
        handlingKind: input.handlingKind,
        departmentId: input.departmentId,
        userId: user.id,
        body: input.note,
        occurredAt,
      })
      await trx
        .from('opinion_departments')
        .where('opinion_id', opinion.id)
        .where('department_id', input.departmentId)
        .update({
          handling_status: 'handled',
          handled_at: this.clock.now().toSQL(),
          updated_at: this.clock.now().toSQL(),
        })
      await this.auditLog.record(
        { action: 'opinion.handle', subject: opinion, details: { department: input.departmentId } },
        trx
      )
    })
  }
}
