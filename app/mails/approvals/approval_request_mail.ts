import i18nManager from '@adonisjs/i18n/services/main'
import NoticeMail, { type NoticeRow } from '#mails/notice_mail'
import type { ApprovalRequest } from '#services/approvals/approvers'
import { ESCALATE_AFTER_OPEN_DAYS } from '#services/approvals/approvers'
import WardCalendar from '#services/ward_calendar'

/**
 * 承認依頼 to the department's approvers, or 承認督促 (escalated) to its acting approvers and
 * the privacy office after 3 open days. It names the item (an opinion's reference number, an
 * FAQ question, a council subject), never a citizen's personal data.
 */
export default class ApprovalRequestMail extends NoticeMail {
  constructor(
    recipients: string[],
    readonly request: ApprovalRequest,
    readonly stage: 'requested' | 'escalated',
    private departmentName: string,
    private requesterName: string,
    private link: string
  ) {
    super(recipients)
  }

  #params() {
    const t = i18nManager.locale('ja')
    return {
      kind: t.t(`approvals.kind.${this.request.kind}`),
      label: this.request.label,
      department: this.departmentName,
      requester: this.requesterName,
      days: String(ESCALATE_AFTER_OPEN_DAYS),
    }
  }

  subjectLine() {
    return i18nManager.locale('ja').t(`approvals.mail.${this.stage}_subject`, this.#params())
  }

  paragraphs() {
    return [i18nManager.locale('ja').t(`approvals.mail.${this.stage}_body`, this.#params())]
  }

  rows(): NoticeRow[] {
    const t = i18nManager.locale('ja')
    return this.request.requestedAt
      ? [
          {
            label: t.t('approvals.mail.requested_at'),
            value: WardCalendar.formatEra(this.request.requestedAt),
          },
        ]
      : []
  }

  url() {
    return this.link
  }
}
