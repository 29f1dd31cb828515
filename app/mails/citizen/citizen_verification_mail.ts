import { BaseMail } from '@adonisjs/mail'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * The link that confirms a citizen's email address (signed, valid for 24
 * hours). The mail carries no personal data: no name, no greeting by name,
 * only the purpose and the link. Sent on registration, on a repeated
 * registration of a still-unconfirmed address, and on request ("resend").
 * The body is the Edge template emails/citizen/verification(_text).
 */
export default class CitizenVerificationMail extends BaseMail {
  constructor(
    private to: string,
    readonly verificationUrl: string
  ) {
    super()
  }

  prepare() {
    const data = { verificationUrl: this.verificationUrl }
    this.message
      .to(this.to)
      .subject(i18nManager.locale('ja').t('citizen.mail.verification_subject'))
      .htmlView('emails/citizen/verification', data)
      .textView('emails/citizen/verification_text', data)
  }
}

/**
 * Sent instead of a verification mail when someone registers with an
 * address whose account is already confirmed. The registration page looks
 * the same either way, so only the owner of the mailbox learns that the
 * address is registered. No account is created or changed. The body is the
 * Edge template emails/citizen/already_registered(_text).
 */
export class CitizenAlreadyRegisteredMail extends BaseMail {
  constructor(
    private to: string,
    readonly loginUrl: string
  ) {
    super()
  }

  prepare() {
    const data = { loginUrl: this.loginUrl }
    this.message
      .to(this.to)
      .subject(i18nManager.locale('ja').t('citizen.mail.already_registered_subject'))
      .htmlView('emails/citizen/already_registered', data)
      .textView('emails/citizen/already_registered_text', data)
  }
}
