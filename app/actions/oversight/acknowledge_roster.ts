import { inject } from '@adonisjs/core'
import Clock from '#services/clock'
import db from '@adonisjs/lucid/services/db'
import DutyLedger from '#services/oversight/duty_ledger'
import AuditLogger from '#services/audit_logger'
import { WARD_ZONE } from '#services/ward_calendar'
import type HandlerRoster from '#models/handler_roster'
import type User from '#models/user'

/**
 * The ward acknowledges (受理) a roster version, which makes it current.
 * The first acknowledged version satisfies the contract's roster duty.
 * Returns false when the version was already acknowledged.
 */
@inject()
export default class AcknowledgeRoster {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(roster: HandlerRoster, user: User): Promise<boolean> {
    if (roster.isAcknowledged) return false
    const acknowledgedOn = this.clock.now().setZone(WARD_ZONE).startOf('day')
    await db.transaction(async (trx) => {
      roster.useTransaction(trx)
      roster.merge({ acknowledgedOn, acknowledgedByUserId: user.id })
      await roster.save()
      await this.auditLog.record(
        {
          action: 'handler_roster.acknowledge',
          subject: roster,
          changedFields: ['acknowledgedOn', 'acknowledgedByUserId'],
        },
        trx
      )
      await DutyLedger.satisfy(
        roster.contractId,
        'roster',
        'initial',
        { type: 'handler_roster', id: roster.id, on: acknowledgedOn },
        this.auditLog,
        trx
      )
    })
    return true
  }
}
