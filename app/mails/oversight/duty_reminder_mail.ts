import { BaseMail } from '@adonisjs/mail'
import type OversightDuty from '#models/oversight_duty'
import WardCalendar from '#services/ward_calendar'

const KIND_LABELS: Record<string, string> = {
  audit: '立入調査（監査）',
  roster: '取扱責任者及び取扱者名簿の提出',
  training: '従業員教育の実施記録',
  return_erasure: '資料等の返還・消去証明書の提出',
  periodic_report: '定期報告の提出',
  subcontract_approval: '再委託の承認',
  incident_report: '事故報告',
}

/**
 * Reminder of an oversight duty that is due within 14 days or overdue. It
 * names the contract and the duty only; no personal data.
 */
export default class DutyReminderMail extends BaseMail {
  constructor(
    private duty: OversightDuty,
    private stage: 'due' | 'overdue',
    private recipients: string[],
    private appUrl: string
  ) {
    super()
  }

  prepare() {
    const contract = this.duty.contract
    const what = KIND_LABELS[this.duty.kind] ?? this.duty.kind
    const due = WardCalendar.formatEra(this.duty.dueOn)
    const subject = this.stage === 'overdue' ? `【期限超過】${what}（${contract.title}）` : `【期限が近づいています】${what}（${contract.title}）`
    this.message
      .to(this.recipients[0])
      .bcc(this.recipients.slice(1))
      .subject(subject)
      .text(
        [
          `委託「${contract.title}」の「${what}」の期限は${due}です。`,
          this.stage === 'overdue' ? '期限を過ぎています。速やかに対応してください。' : '期限までに対応してください。',
          '',
          `詳細: ${this.appUrl}/contracts/${contract.id}`,
          '',
          '（このメールは台帳から自動送信しています）',
        ].join('\n')
      )
  }
}
