import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import FaqSearch from '#services/faq/faq_search'
import FaqDecisionNotice from '#actions/faq/faq_decision_notice'
import Approvers from '#services/approvals/approvers'
import ApprovalNotices from '#services/approvals/approval_notices'

/**
 * The approver approves the change: its version becomes the one citizens
 * read (and find), the entry is published, the author is told by mail (and
 * the department, when an acting approver or a privacy officer approved).
 */
@inject()
export default class ApproveFaqChange {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock,
    private notice: FaqDecisionNotice,
    private notices: ApprovalNotices
  ) {}

  async handle(
    entry: FaqEntry,
    version: FaqVersion,
    user: User,
    comment: string | null
  ): Promise<void> {
    const request = Approvers.forFaqChange(entry, version)
    const capacity = await Approvers.capacity(user, request, this.clock.now())
    await db.transaction(async (trx) => {
      const now = this.clock.now()
      version.useTransaction(trx)
      version.merge({
        state: 'approved',
        decidedByUserId: user.id,
        decidedAt: now,
        decisionComment: comment,
      })
      await version.save()
      entry.useTransaction(trx)
      entry.merge({ status: 'published', publishedVersionId: version.id, publishedAt: now })
      await entry.save()
      await FaqSearch.reindexMany([entry.id], trx)
      await this.auditLog.record(
        {
          action: 'faq_entry.approved',
          subject: entry,
          details: {
            version: version.version,
            author: version.requestedByUserId,
            ...(capacity && capacity !== 'approver' ? { capacity } : {}),
          },
        },
        trx
      )
    })
    await this.notice.send(entry, version, 'approved')
    await this.notices.decidedInstead(request, user, capacity)
  }
}
