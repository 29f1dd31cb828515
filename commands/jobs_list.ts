import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class JobsList extends BaseCommand {
  static commandName = 'jobs:list'
  static description = 'List scheduled jobs with their schedule and last run'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { scheduledJobs } = await import('#jobs/registry')
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const table = this.ui.table()
    table.head(['job', 'schedule (Asia/Tokyo)', 'last finished', 'status', 'message'])
    for (const job of await scheduledJobs()) {
      const lock = await db.from('job_locks').where('name', job.name).first()
      table.row([
        job.name,
        job.schedule,
        String(lock?.last_finished_at ?? '-'),
        lock?.last_status ?? '-',
        lock?.last_message ?? '-',
      ])
    }
    table.render()
  }
}
