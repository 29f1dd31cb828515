import CallCenterRetention from '#services/opinions/call_center_retention'
import type { ScheduledJob } from '#jobs/job'

/**
 * Daily at 2:30 (Asia/Tokyo): the call center's personal data whose one-year
 * retention ended yesterday or earlier is deleted (CallCenterRetention).
 */
export default class CallCenterRetentionJob implements ScheduledJob {
  readonly name = 'call-center-retention'
  readonly schedule = '30 2 * * *'
  readonly leaseMs = 60 * 60 * 1000

  async run(): Promise<string> {
    const { count } = await CallCenterRetention.purge()
    return `personal data of ${count} call-center opinions deleted`
  }
}
