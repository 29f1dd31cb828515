import { BaseMail } from '@adonisjs/mail'

const FOOTER = ['', '（このメールは台帳から自動送信しています。返信はできません）']

/**
 * The link that confirms a citizen's email address (signed, valid for 24
 * hours). The mail carries no personal data: no name, no greeting by name,
 * only the purpose and the link. Sent on registration, on a repeated
 * registration of a still-unconfirmed address, and on request ("resend").
 */
export default class CitizenVerificationMail extends BaseMail {
  constructor(
    private to: string,
    readonly verificationUrl: string
  ) {
    super()
  }

  prepare() {
    this.message
      .to(this.to)
      .subject('【台帳】メールアドレスの確認')
      .text(
        [
          '区民の方の登録の申込みを受け付けました。',
          '次のリンクを開いて、メールアドレスの確認を完了してください（24時間有効）。',
          'リンクを開くまで登録は完了しません。',
          '',
          this.verificationUrl,
          '',
          '確認メールを複数お送りした場合は、最新のメールのリンクを開いてください。',
          'お心当たりのない場合は、リンクを開かずにこのメールを破棄してください。',
          ...FOOTER,
        ].join('\n')
      )
  }
}

/**
 * Sent instead of a verification mail when someone registers with an
 * address whose account is already confirmed. The registration page looks
 * the same either way, so only the owner of the mailbox learns that the
 * address is registered. No account is created or changed.
 */
export class CitizenAlreadyRegisteredMail extends BaseMail {
  constructor(
    private to: string,
    readonly loginUrl: string
  ) {
    super()
  }

  prepare() {
    this.message
      .to(this.to)
      .subject('【台帳】登録の申込みについて')
      .text(
        [
          'このメールアドレスで区民の方の新規登録の申込みがありましたが、',
          '既に登録済みのため、新しい登録は行っていません。登録内容も変更していません。',
          '',
          'ご本人の操作であれば、次のページからログインしてください。',
          this.loginUrl,
          '',
          'お心当たりのない場合は、このメールを破棄してください。',
          ...FOOTER,
        ].join('\n')
      )
  }
}
