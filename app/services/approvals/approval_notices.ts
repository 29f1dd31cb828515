import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import router from '@adonisjs/core/services/router'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import i18nManager from '@adonisjs/i18n/services/main'
import env from '#start/env'
import Department from '#models/department'
import User from '#models/user'
import ApprovalRequestMail from '#mails/approvals/approval_request_mail'
import DelegatedApprovalMail from '#mails/approvals/delegated_approval_mail'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { sqlNow } from '#services/column_types'
import Approvers, {
  type ApprovalDecision,
  type ApprovalKind,
  type ApprovalRequest,
  type ApproverCapacity,
  type FallbackReason,
} from '#services/approvals/approvers'

/** The table whose approval_escalated_at records that a request of the kind was escalated. */
const ESCALATION_TABLES: Record<ApprovalKind, string> = {
  opinion_reply: 'opinion_replies',
  faq_change: 'faq_versions',
  council_item: 'council_items',
}

/** The audit log's subject type of each kind (the model's name). */
const ESCALATION_SUBJECTS: Record<ApprovalKind, string> = {
  opinion_reply: 'OpinionReply',
  faq_change: 'FaqVersion',
  council_item: 'CouncilItem',
}

/**
 * The mails around an approval, all queued (mail.sendLater): the request to the approvers, the
 * escalation after 3 open days to the acting approvers and the privacy office (once per
 * request, claimed with a conditional UPDATE so several instances never send it twice), and
 * the notice to the department when someone other than its approvers decided. A mail that
 * cannot be queued is logged; it never undoes the step.
 */
@inject()
export default class ApprovalNotices {
  constructor(
    private mailer: Mailer<MailTransportContract>,
    private clock: Clock
  ) {}

  /** 承認依頼: mails the approvers who can act (or the acting approvers and privacy officers). */
  async requested(request: ApprovalRequest, requester: User): Promise<number> {
    const recipients = await Approvers.requestRecipients(request, this.clock.now())
    if (recipients.length === 0) return 0
    const department = await Department.find(request.departmentId)
    try {
      await this.mailer.sendLater(
        new ApprovalRequestMail(
          recipients.map((user) => user.email),
          request,
          'requested',
          department?.name ?? '',
          requester.fullName,
          this.#url(request)
        )
      )
    } catch (error) {
      logger.error({ err: error, kind: request.kind, id: request.id }, 'approval request mail')
      return 0
    }
    return recipients.length
  }

  /**
   * After a decision by an acting approver or a privacy officer: the department is told who
   * approved or sent it back (with the comment), and why. Returns the reason, null for an
   * approver.
   */
  async decidedInstead(
    request: ApprovalRequest,
    user: User,
    capacity: ApproverCapacity | null,
    decision: ApprovalDecision = { outcome: 'approved' }
  ): Promise<FallbackReason | null> {
    if (capacity === null || capacity === 'approver') return null
    const reason = await Approvers.fallbackReason(request, this.clock.now())
    const recipients = await Approvers.departmentRecipients(request.departmentId, user)
    if (recipients.length === 0) return reason
    const department = await Department.find(request.departmentId)
    try {
      await this.mailer.sendLater(
        new DelegatedApprovalMail(
          recipients.map((recipient) => recipient.email),
          request,
          capacity,
          reason,
          department?.name ?? '',
          user.fullName,
          this.#url(request),
          decision
        )
      )
    } catch (error) {
      logger.error({ err: error, kind: request.kind, id: request.id }, 'delegated approval mail')
    }
    return reason
  }

  /** A note for a history (処理履歴): 「代理承認者として承認（承認者が不在のため）」, or 「…として差戻し（…）」. */
  static historyNote(
    capacity: ApproverCapacity,
    reason: FallbackReason,
    outcome: ApprovalDecision['outcome'] = 'approved'
  ): string {
    const t = i18nManager.locale('ja')
    return t.t(`approvals.history.delegated_${outcome}`, {
      capacity: t.t(`approvals.capacity.${capacity}`),
      reason: t.t(`approvals.reason.${reason}`),
    })
  }

  /**
   * Escalates every request waiting 3 open days or more that was not escalated yet: mails the
   * department's acting approvers and the privacy officers. Returns how many were escalated.
   */
  async escalate(now: DateTime = this.clock.now()): Promise<number> {
    let escalated = 0
    for (const request of await Approvers.waiting()) {
      if (!Approvers.isOverdue(request, now)) continue
      if (!(await this.#claim(request))) continue
      const recipients = await Approvers.escalationRecipients(request, now)
      const department = await Department.find(request.departmentId)
      const requester = request.subject.requestedByUserId
        ? await User.find(request.subject.requestedByUserId)
        : null
      try {
        if (recipients.length > 0) {
          await this.mailer.sendLater(
            new ApprovalRequestMail(
              recipients.map((user) => user.email),
              request,
              'escalated',
              department?.name ?? '',
              requester?.fullName ?? '',
              this.#url(request)
            )
          )
        }
      } catch (error) {
        // Not queued: give the claim back so that the next run tries again.
        await db
          .from(ESCALATION_TABLES[request.kind])
          .where('id', request.id)
          .update({ approval_escalated_at: null })
        logger.error({ err: error, kind: request.kind, id: request.id }, 'approval escalation')
        continue
      }
      await AuditLogger.system.record({
        action: 'approval.escalate',
        subject: { type: ESCALATION_SUBJECTS[request.kind], id: request.id },
        details: { kind: request.kind, recipients: recipients.length },
      })
      escalated++
    }
    return escalated
  }

  /** Takes the right to escalate the request (atomic: one instance, one time). */
  async #claim(request: ApprovalRequest): Promise<boolean> {
    const updated = await db
      .from(ESCALATION_TABLES[request.kind])
      .where('id', request.id)
      .whereNull('approval_escalated_at')
      .update({ approval_escalated_at: sqlNow() })
    return Number(Array.isArray(updated) ? updated[0] : updated) === 1
  }

  #url(request: ApprovalRequest): string {
    const base = env.get('APP_URL', 'http://localhost:3333').replace(/\/+$/, '')
    return `${base}${router.makeUrl(request.route.name, request.route.params)}`
  }
}
