/*
|--------------------------------------------------------------------------
| Scheduler (web process only, see adonisrc.ts)
|--------------------------------------------------------------------------
|
| Several app instances may run against one PostgreSQL database: each job
| runs under a database lease, so only one instance executes it.
|
*/
import cron from 'node-cron'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import JobRunner from '#services/jobs/job_runner'
import { scheduledJobs } from '#jobs/registry'

const runner = await app.container.make(JobRunner)

for (const job of await scheduledJobs()) {
  const task = cron.schedule(
    job.schedule,
    async () => {
      const outcome = await runner.runExclusive(job.name, job.leaseMs, () => job.run())
      logger.info({ job: job.name, ...outcome }, 'scheduled job')
    },
    { timezone: 'Asia/Tokyo', name: job.name, noOverlap: true }
  )
  app.terminating(() => task.stop())
}
