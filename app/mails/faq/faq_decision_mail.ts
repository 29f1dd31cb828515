import { BaseMail } from '@adonisjs/mail'

/**
 * Tells the author of an FAQ change that the supervisor approved it (it is
 * now published) or sent it back, with the supervisor's comment. It names
 * the question only: FAQ text holds no personal data.
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
    const approved = this.decision === 'approved'
    this.message
      .to(this.recipient)
      .subject(approved ? `【FAQ承認】${this.question}` : `【FAQ差戻し】${this.question}`)
      .text(
        [
          approved
            ? `FAQ「${this.question}」の変更が承認され、公開されました。`
            : `FAQ「${this.question}」の変更が差し戻されました。内容を直して、もう一度承認を依頼してください。`,
          ...(this.comment ? ['', `上位者のコメント: ${this.comment}`] : []),
          '',
          `詳細: ${this.url}`,
          '',
          '（このメールは台帳から自動送信しています）',
        ].join('\n')
      )
  }
}
