import app from '@adonisjs/core/services/app'
import OpinionAlerts from '#services/opinions/opinion_alerts'
import type { ScheduledJob } from '#jobs/job'

/**
 * Every open-day morning at 8:30 (and again at 13:00): opinions handed
 * over after hours are announced to their departments, then near-due and
 * overdue opinions. Each alert goes out once per stage.
 */
export default class OpinionAlertsJob implements ScheduledJob {
  readonly name = 'opinion-alerts'
  readonly schedule = '30 8,13 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const alerts = await app.container.make(OpinionAlerts)
    const announced = await alerts.announceForwarded()
    const reminded = await alerts.remindDue()
    return `${announced} new, ${reminded.near_due} near-due and ${reminded.overdue} overdue opinion alerts sent`
  }
}
