import { BaseMail } from '@adonisjs/mail'

const FOOTER = ['', '（このメールは台帳から自動送信しています。返信はできません）']

export type CitizenNotice = 'received' | 'replied'

/**
 * Tells a registered citizen that something changed on a submission:
 * received, or a reply waits in the portal. It never carries the text of
 * the opinion or the reply, only the reference number and the portal link.
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
    const lines =
      this.notice === 'received'
        ? [`ご意見等を受け付けました（受付番号 ${this.referenceNo}）。`, '処理の状況はマイページで確認できます。']
        : [`受付番号 ${this.referenceNo} のご意見等への回答をお送りしました。`, '回答の内容はマイページでご覧ください。']
    this.message
      .to(this.to)
      .subject(this.notice === 'received' ? '【台帳】ご意見等を受け付けました' : '【台帳】回答が届いています')
      .text([...lines, '', this.portalUrl, ...FOOTER].join('\n'))
  }
}
