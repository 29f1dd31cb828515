/*
|--------------------------------------------------------------------------
| Scheduler (web process only, see adonisrc.ts)
|--------------------------------------------------------------------------
|
| Several app instances may run against one PostgreSQL database (and one
| Redis): each tick of a job runs under @adonisjs/lock locks, so it runs
| once across instances (see JobRunner). An instance that fires a tick late
| (blocked event loop, skewed clock) still runs it if no other instance did.
| On shutdown, a tick being run is finished first: its mark says it ran.
| JOB_SCHEDULES gives jobs other times (app/jobs/registry.ts).
|
*/
import cron from 'node-cron'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import JobRunner, { LATE_TICK_TOLERANCE_MS } from '#services/jobs/job_runner'
import { scheduledJobs } from '#jobs/registry'

const runner = await app.container.make(JobRunner)
const tasks: ReturnType<typeof cron.schedule>[] = []
/** The ticks being run now: shutdown waits for them. */
const running = new Set<Promise<unknown>>()

for (const job of await scheduledJobs()) {
  const task = cron.schedule(
    job.schedule,
    async (context) => {
      const tick = DateTime.fromJSDate(context.date)
      const run = runner.runTick(job.name, job.leaseMs, () => job.run(), tick)
      running.add(run)
      try {
        const outcome = await run
        logger.info({ job: job.name, tick: tick.toISO(), ...outcome }, 'scheduled job')
      } finally {
        running.delete(run)
      }
    },
    {
      timezone: 'Asia/Tokyo',
      name: job.name,
      noOverlap: true,
      missedExecutionTolerance: LATE_TICK_TOLERANCE_MS,
    }
  )
  tasks.push(task)
}

app.terminating(async () => {
  for (const task of tasks) await task.stop()
  await Promise.allSettled(running)
})
