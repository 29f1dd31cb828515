import app from '@adonisjs/core/services/app'
import Contract from '#models/contract'
import { WARD_ZONE } from '#services/ward_calendar'
import Clock from '#services/clock'
import DutyLedger from '#services/oversight/duty_ledger'
import type { ScheduledJob } from '#jobs/job'
import AuditLogger from '#services/audit_logger'

/**
 * Daily: recomputes every contract's duties, so a new fiscal year brings its
 * audit and training duties and each finished month its report; a contract
 * whose recorded last day (EndContract) has passed becomes 'ended'.
 */
export default class RefreshDutiesJob implements ScheduledJob {
  readonly name = 'duties-refresh'
  readonly schedule = '0 1 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const contracts = await Contract.query().whereNot('status', 'ended').select('id')
    for (const contract of contracts) await DutyLedger.recompute(contract.id, AuditLogger.system)
    // A recorded end (a period not renewed, a termination) whose last day has passed.
    const clock = await app.container.make(Clock)
    const today = clock.now().setZone(WARD_ZONE).toISODate()!
    const ended = await Contract.query()
      .whereNot('status', 'ended')
      .whereNotNull('endedOn')
      .where('endedOn', '<', today)
      .select('id')
    if (ended.length)
      await Contract.query()
        .whereIn(
          'id',
          ended.map((contract) => contract.id)
        )
        .update({ status: 'ended' })
    return `${contracts.length} contracts refreshed, ${ended.length} ended`
  }
}
