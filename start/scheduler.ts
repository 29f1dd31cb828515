/*
|--------------------------------------------------------------------------
| Scheduler (web process only, see adonisrc.ts)
|--------------------------------------------------------------------------
|
| Each tick is queued as a ScheduledTickJob: with Redis a `queue:listen`
| worker runs it, without Redis this process does, after the tick. Several
| app instances may run against one PostgreSQL database (and one Redis):
| each queues the tick, and @adonisjs/lock locks run it once across
| instances (see JobRunner). An instance that fires a tick late (blocked
| event loop, skewed clock) still runs it if no other instance did. On
| shutdown, a tick being run is finished first: its mark says it ran.
| JOB_SCHEDULES gives jobs other times, or switches them off
| (app/jobs/registry.ts).
|
*/
import cron from 'node-cron'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { LATE_TICK_TOLERANCE_MS } from '#services/jobs/job_runner'
import JobQueue from '#services/jobs/job_queue'
import ScheduledTickJob from '#jobs/scheduled_tick_job'
import { OFF, scheduledJobs } from '#jobs/registry'

const tasks: ReturnType<typeof cron.schedule>[] = []
const jobs = await scheduledJobs()
const timed = jobs.filter((job) => job.schedule !== OFF)

for (const job of timed) {
  const task = cron.schedule(
    job.schedule,
    async (context) => {
      const tick = DateTime.fromJSDate(context.date).toISO()!
      try {
        // Run by a queue worker (or, without Redis, by this process after this callback).
        await JobQueue.dispatch(ScheduledTickJob, { job: job.name, tick }, { attempts: 1 })
      } catch (error) {
        logger.error({ err: error, job: job.name, tick }, 'scheduled job could not be queued')
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

logger.info(
  {
    timed: timed.map((job) => `${job.name} (${job.schedule})`).join(', '),
    off: jobs
      .filter((job) => job.schedule === OFF)
      .map((job) => job.name)
      .join(', '),
  },
  'scheduled jobs'
)

// No new tick once shutting down; the queue lets a tick being run finish (start/queue.ts).
app.terminating(async () => {
  for (const task of tasks) await task.stop()
})
