/*
|--------------------------------------------------------------------------
| Scheduler (web process only, see adonisrc.ts)
|--------------------------------------------------------------------------
|
| Several app instances may run against one PostgreSQL database (and one
| Redis): each tick of a job runs under @adonisjs/lock locks, so it runs
| once across instances (see JobRunner). An instance that fires a tick late
| (blocked event loop, skewed clock) still runs it if no other instance did.
|
*/
import cron from 'node-cron'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import JobRunner, { LATE_TICK_TOLERANCE_MS } from '#services/jobs/job_runner'
import { scheduledJobs } from '#jobs/registry'

const runner = await app.container.make(JobRunner)

for (const job of await scheduledJobs()) {
  const task = cron.schedule(
    job.schedule,
    async (context) => {
      const tick = DateTime.fromJSDate(context.date)
      const outcome = await runner.runTick(job.name, job.leaseMs, () => job.run(), tick)
      logger.info({ job: job.name, tick: tick.toISO(), ...outcome }, 'scheduled job')
    },
    {
      timezone: 'Asia/Tokyo',
      name: job.name,
      noOverlap: true,
      missedExecutionTolerance: LATE_TICK_TOLERANCE_MS,
    }
  )
  app.terminating(() => task.stop())
}
