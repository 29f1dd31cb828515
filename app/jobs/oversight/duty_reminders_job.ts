import app from '@adonisjs/core/services/app'
import DutyReminders from '#services/oversight/duty_reminders'
import type { ScheduledJob } from '#jobs/job'

/**
 * Daily at 8:00: reminder emails for duties due within 14 days or overdue.
 */
export default class DutyRemindersJob implements ScheduledJob {
  readonly name = 'duty-reminders'
  readonly schedule = '0 8 * * *'
  readonly leaseMs = 30 * 60 * 1000

  async run(): Promise<string> {
    const reminders = await app.container.make(DutyReminders)
    const sent = await reminders.send()
    return `${sent.due} due and ${sent.overdue} overdue reminders sent`
  }
}
