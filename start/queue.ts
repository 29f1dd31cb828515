/*
|--------------------------------------------------------------------------
| Background jobs
|--------------------------------------------------------------------------
|
| Every `sendLater` mail goes through the job queue (JobQueue: BullMQ on Redis when REDIS_HOST
| is set, else the web process after the response), with retries and backoff; a mail that still
| fails is kept for the administrators (/admin/failed-jobs). On shutdown, in-process jobs get a
| few seconds to finish; the ones still waiting are recorded as failed, never lost.
|
*/
import app from '@adonisjs/core/services/app'
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
