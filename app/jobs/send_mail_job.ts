import mail from '@adonisjs/mail/services/main'
import type { MailersList, MessageBodyTemplates, NodeMailerMessage } from '@adonisjs/mail/types'
import QueuedJob, { type JobSummary } from '#jobs/queued_job'
import fieldEncryption from '#services/field_encryption'

export interface CompiledMail {
  message: NodeMailerMessage
  views: MessageBodyTemplates
}

/**
 * The mail, sealed with the field encryption service: a queued mail holds a citizen's address
 * and text, and Redis is not encrypted.
 */
export interface SendMailPayload {
  mailerName: keyof MailersList
  sealed: string
}

/** JSON turns Buffers (attachments) into `{ type: 'Buffer', data }`: back to Buffers. */
function reviveBuffers(_key: string, value: any) {
  return value && value.type === 'Buffer' && Array.isArray(value.data)
    ? Buffer.from(value.data)
    : value
}

/**
 * Sends a mail queued by `mail.sendLater` (start/queue.ts): the compiled message, rendered and
 * sent by its mailer, outside the request; retried with backoff, kept in failed_jobs if the
 * relay still refuses it.
 */
export default class SendMailJob extends QueuedJob<SendMailPayload> {
  static get $$filepath() {
    return import.meta.url
  }

  /** The payload of a compiled mail for the queue. */
  static payloadOf(
    mailerName: keyof MailersList,
    mailMessage: CompiledMail,
    config?: unknown
  ): SendMailPayload {
    return {
      mailerName,
      sealed: fieldEncryption.encrypt(JSON.stringify({ mailMessage, config: config ?? null })),
    }
  }

  /** The compiled mail and send config of a payload. */
  static open(payload: SendMailPayload): { mailMessage: CompiledMail; config: unknown } {
    return JSON.parse(fieldEncryption.decrypt(payload.sealed), reviveBuffers)
  }

  async handle(payload: SendMailPayload) {
    const { mailMessage, config } = SendMailJob.open(payload)
    await this.deliver(payload.mailerName, mailMessage, config ?? undefined)
  }

  /** Renders and sends through the mailer (a test's no-op job overrides it). */
  protected async deliver(
    mailerName: keyof MailersList,
    mailMessage: CompiledMail,
    config: unknown
  ) {
    await mail.use(mailerName).sendCompiled(mailMessage, config)
  }

  /** The subject and the number of recipients: nothing else of the mail is shown. */
  describe(payload: SendMailPayload): JobSummary {
    const { message } = SendMailJob.open(payload).mailMessage
    const recipients = [message.to, message.cc, message.bcc]
      .map((list) => (Array.isArray(list) ? list.length : list ? 1 : 0))
      .reduce((sum, n) => sum + n, 0)
    return { subject: message.subject ?? null, recipients }
  }
}
