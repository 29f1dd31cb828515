import { BaseMail } from '@adonisjs/mail'
import i18nManager from '@adonisjs/i18n/services/main'

export type CitizenNotice = 'received' | 'replied'

/**
 * Tells a registered citizen that something changed on a submission:
 * received, or a reply waits in the portal. It never carries the text of
 * the opinion or the reply, only the reference number and the portal link.
 * The body is the Edge template emails/opinions/citizen_notice(_text).
 */
export default class OpinionCitizenNoticeMail extends BaseMail {
  constructor(
    private to: string,
    readonly notice: CitizenNotice,
    readonly referenceNo: string,
    readonly portalUrl: string
  ) {
    super()
  }

  prepare() {
    const subject = i18nManager.locale('ja').t(`opinions.mail.citizen_subject.${this.notice}`)
    const data = {
      subject,
      notice: this.notice,
      referenceNo: this.referenceNo,
      portalUrl: this.portalUrl,
    }
    this.message
      .to(this.to)
      .subject(subject)
      .htmlView('emails/opinions/citizen_notice', data)
      .textView('emails/opinions/citizen_notice_text', data)
  }
}
