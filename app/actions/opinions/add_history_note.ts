import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type User from '#models/user'
import Clock from '#services/clock'
import OpinionHistory from '#services/opinions/opinion_history'
import WardCalendar from '#services/ward_calendar'

/** A free entry in the processing history (a call back, a visit, a memo). */
@inject()
export default class AddHistoryNote {
  constructor(protected clock: Clock) {}

  async handle(
    opinion: Opinion,
    input: { note: string; occurredAt?: Date },
    user: User
  ): Promise<void> {
    await db.transaction(async (trx) => {
      await OpinionHistory.record(trx, opinion, {
        kind: 'note',
        userId: user.id,
        departmentId: user.departmentId,
        body: input.note,
        occurredAt: input.occurredAt
          ? WardCalendar.fromWallClock(input.occurredAt)
          : this.clock.now(),
      })
    })
  }
}
