import { BaseMail } from '@adonisjs/mail'
import i18nManager from '@adonisjs/i18n/services/main'
import WardCalendar from '#services/ward_calendar'
import type Opinion from '#models/opinion'

export type OpinionAlertStage = 'new' | 'near_due' | 'overdue'

/**
 * Alert to a department (アラートメッセージ): opinions newly forwarded to it,
 * near their due date, or overdue. Reference numbers, subjects and due
 * dates only; never the submitter's personal data. The body is the Edge
 * template emails/opinions/alert(_text); the subject is in
 * resources/lang (opinions.mail.alert_subject).
 */
export default class OpinionAlertMail extends BaseMail {
  constructor(
    readonly stage: OpinionAlertStage,
    readonly departmentName: string,
    readonly opinions: Opinion[],
    private recipients: string[],
    private appUrl: string
  ) {
    super()
  }

  prepare() {
    const subject = i18nManager.locale('ja').t(`opinions.mail.alert_subject.${this.stage}`, {
      department: this.departmentName,
      count: this.opinions.length,
    })
    const data = {
      subject,
      departmentName: this.departmentName,
      opinions: this.opinions.map((opinion) => ({
        referenceNo: opinion.referenceNo,
        subject: opinion.subject,
        due: opinion.dueOn ? WardCalendar.formatEra(opinion.dueOn) : null,
        url: `${this.appUrl}/opinions/${opinion.id}`,
      })),
    }
    this.message
      .to(this.recipients[0])
      .bcc(this.recipients.slice(1))
      .subject(subject)
      .htmlView('emails/opinions/alert', data)
      .textView('emails/opinions/alert_text', data)
  }
}
