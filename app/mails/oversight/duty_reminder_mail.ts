import { BaseMail } from '@adonisjs/mail'
import type OversightDuty from '#models/oversight_duty'
import WardCalendar from '#services/ward_calendar'
import { jaText } from '#services/ja_text'
import { dutyLabel } from '#services/oversight/duty_labels'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Reminder of an oversight duty that is due within 14 days or overdue. It
 * names the duty with its period (「2026年11月分の定期報告」), the contract and
 * its system only; no personal data. Always Japanese;
 * the body is the Edge template emails/oversight/duty_reminder(_text).
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
    const what = dutyLabel(this.duty.kind, this.duty.periodKey)
    const subject = i18nManager
      .locale('ja')
      .t(`oversight.reminder.subject_${this.stage}`, { what, title: contract.title })
    const due = WardCalendar.formatEra(this.duty.dueOn)
    const data = {
      subject,
      sentence: jaText('notices.reminder.body', {
        contract: contract.title,
        system: contract.system?.name ?? '',
        what,
        due,
      }),
      due,
      overdue: this.stage === 'overdue',
      url: `${this.appUrl}/contracts/${contract.id}`,
    }
    this.message
      .to(this.recipients[0])
      .bcc(this.recipients.slice(1))
      .subject(subject)
      .htmlView('emails/oversight/duty_reminder', data)
      .textView('emails/oversight/duty_reminder_text', data)
  }
}
