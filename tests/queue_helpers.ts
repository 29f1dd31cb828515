import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import { createConnection, createServer } from 'node:net'
import mail from '@adonisjs/mail/services/main'
import { SMTPTransport } from '@adonisjs/mail/transports/smtp'
import type { MailersList } from '@adonisjs/mail/types'
import CitizenVerificationMail from '#mails/citizen/citizen_verification_mail'
import SendMailJob, { type SendMailPayload } from '#jobs/send_mail_job'

/** Whether Redis answers on `host`:6379 (CI has it; without it the Redis tests are skipped). */
export function redisReachable(host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: 6379, timeout: 1000 })
    const done = (reachable: boolean) => {
      socket.destroy()
      resolve(reachable)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

/** Waits until `check` holds (polling every 50 ms), at most `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A local TCP port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Points the SMTP mailer at a closed port (the relay is down) until the returned function is
 * called. Not a fake: mails really go through the queue and the SMTP transport.
 */
export async function relayDown(): Promise<() => Promise<void>> {
  const mailers = mail.config.mailers as Record<string, () => any>
  const original = mailers.smtp
  const port = await closedPort()
  mailers.smtp = () => new SMTPTransport({ host: '127.0.0.1', port })
  await mail.close('smtp' as keyof MailersList)
  return async () => {
    mailers.smtp = original
    await mail.close('smtp' as keyof MailersList)
  }
}

/** The queue payload of a verification mail to `to`, as `sendLater` makes it. */
export async function verificationMailPayload(to: string): Promise<SendMailPayload> {
  const message = new CitizenVerificationMail(to, 'https://daicho.example.jp/citizen/verify/1')
  await message.build()
  return SendMailJob.payloadOf('smtp' as keyof MailersList, message.message.toObject())
}

/** An administrator presses 再実行 on a failed job (the response, not followed). */
export function retryFailedJob(client: ApiClient, admin: User, failedJobId: number) {
  return client
    .post(`/admin/failed-jobs/${failedJobId}/retry`)
    .loginAs(admin)
    .withCsrfToken()
    .redirects(0)
}
