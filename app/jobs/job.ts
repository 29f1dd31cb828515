/**
 * A scheduled job: run daily (or as its cron says) by the web process, once
 * across instances (JobRunner, @adonisjs/lock), and runnable by hand as an ace command.
 */
export interface ScheduledJob {
  /** Lock name and ace command suffix. */
  readonly name: string
  /** node-cron expression, Asia/Tokyo; `off` (JOB_SCHEDULES) when it is not timed. */
  readonly schedule: string
  /** How long the job's lock is held at most (a crashed instance's lock expires then). */
  readonly leaseMs: number
  /** Does the work; returns a short, non-personal summary. */
  run(): Promise<string>
}
