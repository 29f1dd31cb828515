/*
|--------------------------------------------------------------------------
| Background jobs
|--------------------------------------------------------------------------
|
| Every `sendLater` mail goes through the job queue (JobQueue: BullMQ on Redis when REDIS_HOST
| is set, else the web process after the response), with retries and backoff; a mail that still
| fails is kept for the administrators (/admin/failed-jobs). On shutdown, in-process jobs get a
| few seconds to finish; the ones still waiting are recorded as failed, never lost.
| `node ace queue:listen` stops on SIGTERM: its workers take no new job, finish the ones they run
| (a worker killed first leaves its job to BullMQ, which runs it again), and the process exits.
|
*/
import { setPriority } from 'node:os'
import { Worker } from 'bullmq'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import mail from '@adonisjs/mail/services/main'
import type { MailersList } from '@adonisjs/mail/types'
import JobQueue from '#services/jobs/job_queue'
import SendMailJob from '#jobs/send_mail_job'

/** How long shutdown waits for in-process jobs. */
const DRAIN_TIMEOUT_MS = 10_000

mail.setMessenger((mailer) => ({
  async queue(mailMessage, config) {
    const mailerName = mailer.name as keyof MailersList
    return JobQueue.dispatch(SendMailJob, SendMailJob.payloadOf(mailerName, mailMessage, config))
  },
}))

app.terminating(() => JobQueue.drain(DRAIN_TIMEOUT_MS))

/**
 * @rlanz/bull-queue 3.1 starts a BullMQ worker per queue in `queue:listen` and never closes it,
 * so SIGTERM left the process running (and taking jobs). Every worker started in this process
 * is remembered when it starts running and closed on shutdown, before the database is.
 */
const workers = new Set<Worker>()
const run = Worker.prototype.run
Worker.prototype.run = function (this: Worker) {
  if (workers.size === 0) lowerWorkerPriority()
  workers.add(this)
  return run.call(this)
}

/**
 * A process that runs workers yields the CPU to web processes on the same machine: an import
 * or export then slows itself rather than the pages (QUEUE_WORKER_NICE, default 10).
 */
function lowerWorkerPriority() {
  const nice = env.get('QUEUE_WORKER_NICE', 10)
  try {
    setPriority(nice)
    logger.info({ nice }, 'queue worker runs at lower CPU priority')
  } catch (error) {
    logger.warn({ err: error, nice }, 'queue worker priority not changed')
  }
}
app.terminating(async () => {
  await Promise.all([...workers].map((worker) => worker.close()))
})
