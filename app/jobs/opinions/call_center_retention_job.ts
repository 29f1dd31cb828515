import app from '@adonisjs/core/services/app'
import CallCenterRetention from '#services/opinions/call_center_retention'
import Clock from '#services/clock'
import type { ScheduledJob } from '#jobs/job'

/**
 * Daily at 2:30 (Asia/Tokyo): the call center's personal data whose one-year
 * retention ended yesterday or earlier is deleted (CallCenterRetention), as
 * of today by the injected Clock.
 */
export default class CallCenterRetentionJob implements ScheduledJob {
  readonly name = 'call-center-retention'
  readonly schedule = '30 2 * * *'
  readonly leaseMs = 60 * 60 * 1000

  async run(): Promise<string> {
    const clock = await app.container.make(Clock)
    const { count } = await CallCenterRetention.purge(clock.now())
    return `personal data of ${count} call-center opinions deleted`
  }
}
