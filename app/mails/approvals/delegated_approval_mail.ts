import i18nManager from '@adonisjs/i18n/services/main'
import NoticeMail, { type NoticeRow } from '#mails/notice_mail'
import type {
  ApprovalDecision,
  ApprovalRequest,
  ApproverCapacity,
  FallbackReason,
} from '#services/approvals/approvers'

/**
 * Tells a department that its acting approver or a privacy officer approved one of its items,
 * or sent it back (with the comment), in place of its approvers, and why (none named, away,
 * overdue).
 */
export default class DelegatedApprovalMail extends NoticeMail {
  constructor(
    recipients: string[],
    readonly request: ApprovalRequest,
    readonly capacity: ApproverCapacity,
    readonly reason: FallbackReason,
    private departmentName: string,
    private approverName: string,
    private link: string,
    readonly decision: ApprovalDecision = { outcome: 'approved' }
  ) {
    super(recipients)
  }

  #params() {
    const t = i18nManager.locale('ja')
    return {
      kind: t.t(`approvals.kind.${this.request.kind}`),
      label: this.request.label,
      department: this.departmentName,
      name: this.approverName,
      capacity: t.t(`approvals.capacity.${this.capacity}`),
      reason: t.t(`approvals.reason.${this.reason}`),
    }
  }

  subjectLine() {
    return i18nManager
      .locale('ja')
      .t(`approvals.mail.delegated_${this.decision.outcome}_subject`, this.#params())
  }

  paragraphs() {
    return [
      i18nManager
        .locale('ja')
        .t(`approvals.mail.delegated_${this.decision.outcome}_body`, this.#params()),
    ]
  }

  rows(): NoticeRow[] {
    if (this.decision.outcome !== 'returned') return []
    return [
      {
        label: i18nManager.locale('ja').t('approvals.mail.return_comment'),
        value: this.decision.comment,
      },
    ]
  }

  url() {
    return this.link
  }
}
