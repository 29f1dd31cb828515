import { BaseMail } from '@adonisjs/mail'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Tells the author of an FAQ change that the supervisor approved it (it is
 * now published) or sent it back, with the supervisor's comment. It names
 * the question only: FAQ text holds no personal data. The body is the Edge
 * template emails/faq/decision(_text).
 */
export default class FaqDecisionMail extends BaseMail {
  constructor(
    private recipient: string,
    private decision: 'approved' | 'returned',
    private question: string,
    private comment: string | null,
    private url: string
  ) {
    super()
  }

  prepare() {
    const data = {
      approved: this.decision === 'approved',
      question: this.question,
      comment: this.comment,
      url: this.url,
    }
    this.message
      .to(this.recipient)
      .subject(
        i18nManager.locale('ja').t(`faq.mail.subject_${this.decision}`, { question: this.question })
      )
      .htmlView('emails/faq/decision', data)
      .textView('emails/faq/decision_text', data)
  }
}
