/**
 * A scheduled job: run daily (or as its cron says) by the web process under
 * a database lock, and runnable by hand as an ace command.
 */
export interface ScheduledJob {
  /** Lock name and ace command suffix. */
  readonly name: string
  /** node-cron expression, Asia/Tokyo. */
  readonly schedule: string
  /** How long the lock is held at most (a crashed instance frees it then). */
  readonly leaseMs: number
  /** Does the work; returns a short, non-personal summary. */
  run(): Promise<string>
}
