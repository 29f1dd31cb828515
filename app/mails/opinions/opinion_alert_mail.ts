import { BaseMail } from '@adonisjs/mail'
import WardCalendar from '#services/ward_calendar'
import type Opinion from '#models/opinion'

export type OpinionAlertStage = 'new' | 'near_due' | 'overdue'

const SUBJECTS: Record<OpinionAlertStage, string> = {
  new: '【区民の声】意見等が転送されました',
  near_due: '【区民の声】回答期限が近づいています',
  overdue: '【区民の声】回答期限を過ぎています',
}

/**
 * Alert to a department (アラートメッセージ): opinions newly forwarded to it,
 * near their due date, or overdue. Reference numbers, subjects and due
 * dates only; never the submitter's personal data.
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
    const lines = this.opinions.map((opinion) => {
      const due = opinion.dueOn ? `回答期限 ${WardCalendar.formatEra(opinion.dueOn)}` : '回答不要'
      return `・${opinion.referenceNo}「${opinion.subject}」（${due}） ${this.appUrl}/opinions/${opinion.id}`
    })
    this.message
      .to(this.recipients[0])
      .bcc(this.recipients.slice(1))
      .subject(`${SUBJECTS[this.stage]}（${this.departmentName}・${this.opinions.length}件）`)
      .text(
        [`${this.departmentName} あて`, '', ...lines, '', '（このメールは台帳から自動送信しています）'].join('\n')
      )
  }
}
