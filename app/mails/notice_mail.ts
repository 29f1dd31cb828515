import { BaseMail } from '@adonisjs/mail'

/** A line of the notice's table (期限, 委託, 登録業務 …). */
export interface NoticeRow {
  label: string
  value: string
}

/**
 * A notice to ward staff: a subject, a few paragraphs, a table of facts and the link to the
 * page. The first recipient in To, the others in Bcc (they do not see each other's address).
 * The body is the Edge template emails/notice(_text); subclasses say what the notice is.
 */
export default abstract class NoticeMail extends BaseMail {
  constructor(readonly recipients: string[]) {
    super()
  }

  abstract subjectLine(): string
  abstract paragraphs(): string[]
  abstract url(): string

  rows(): NoticeRow[] {
    return []
  }

  prepare() {
    const subject = this.subjectLine()
    const data = { subject, paragraphs: this.paragraphs(), rows: this.rows(), url: this.url() }
    this.message
      .to(this.recipients[0])
      .bcc(this.recipients.slice(1))
      .subject(subject)
      .htmlView('emails/notice', data)
      .textView('emails/notice_text', data)
  }
}
