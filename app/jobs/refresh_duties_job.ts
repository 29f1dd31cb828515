import Contract from '#models/contract'
import DutyLedger from '#services/duty_ledger'
import type { ScheduledJob } from '#jobs/job'

/**
 * Daily: recomputes every contract's duties, so a new fiscal year brings its
 * audit and training duties and each finished month its report.
 */
export default class RefreshDutiesJob implements ScheduledJob {
  readonly name = 'duties-refresh'
  readonly schedule = '0 1 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const contracts = await Contract.query().whereNot('status', 'ended').select('id')
    for (const contract of contracts) await DutyLedger.recompute(contract.id)
    return `${contracts.length} contracts refreshed`
  }
}
