import { args, BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class JobsRun extends BaseCommand {
  static commandName = 'jobs:run'
  static description = 'Run a scheduled job now, under the same lock as the scheduler'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Job name (see jobs:list)' })
  declare name: string

  async run() {
    const { scheduledJobs } = await import('#jobs/registry')
    const { default: JobRunner } = await import('#services/jobs/job_runner')
    const jobs = await scheduledJobs()
    const job = jobs.find((candidate) => candidate.name === this.name)
    if (!job) {
      this.logger.error(`unknown job "${this.name}"; known: ${jobs.map((j) => j.name).join(', ')}`)
      this.exitCode = 1
      return
    }
    const runner = await this.app.container.make(JobRunner)
    const outcome = await runner.runExclusive(job.name, job.leaseMs, () => job.run())
    if (outcome.status === 'failed') {
      this.logger.error(`${job.name}: ${outcome.message}`)
      this.exitCode = 1
    } else {
      this.logger.success(`${job.name}: ${outcome.status}: ${outcome.message}`)
    }
  }
}
