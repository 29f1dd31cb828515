import { BaseMail } from '@adonisjs/mail'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * The link to set a new password (「パスワードを忘れた方」; signed, one hour, once). Like the
 * verification mail it carries no personal data besides the address it goes to. The body is
 * the Edge template emails/citizen/password_reset(_text).
 */
export default class CitizenPasswordResetMail extends BaseMail {
  constructor(
    private to: string,
    readonly resetUrl: string
  ) {
    super()
  }

  prepare() {
    const data = { resetUrl: this.resetUrl }
    this.message
      .to(this.to)
      .subject(i18nManager.locale('ja').t('citizen.mail.password_reset_subject'))
      .htmlView('emails/citizen/password_reset', data)
      .textView('emails/citizen/password_reset_text', data)
  }
}
