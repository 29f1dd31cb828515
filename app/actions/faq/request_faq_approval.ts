import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import FaqDiff from '#services/faq/faq_diff'
import Approvers from '#services/approvals/approvers'
import ApprovalNotices from '#services/approvals/approval_notices'

/**
 * 電子的な承認依頼: freezes the working copy as the next version and puts it
 * before the department's supervisor. Nothing to approve when the working
 * copy equals the published version (refused with a DomainError shown on
 * the entry's page). The department's approvers are mailed.
 */
@inject()
export default class RequestFaqApproval {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock,
    private notices: ApprovalNotices
  ) {}

  async handle(entry: FaqEntry, user: User): Promise<FaqVersion> {
    const backToEntry = {
      redirectTo: { route: 'faq_entries.show', params: { id: entry.id } },
      keepInput: false,
    }
    if (entry.status !== 'draft') throw new DomainError('faq.errors.not_draft', backToEntry)
    await entry.load('publishedVersion')
    if (entry.publishedVersion) {
      const difference = FaqDiff.between(entry.publishedVersion, entry, {
        topicName: String,
        yes: '1',
        no: '0',
      })
      if (difference.same) throw new DomainError('faq.errors.no_change', backToEntry)
    }

    const created = await db.transaction(async (trx) => {
      const last = await trx
        .from('faq_versions')
        .where('faq_entry_id', entry.id)
        .max('version as version')
        .first()
      const version = await FaqVersion.create(
        {
          ...entry.content(),
          faqEntryId: entry.id,
          version: Number(last?.version ?? 0) + 1,
          state: 'awaiting_approval',
          requestedByUserId: user.id,
          requestedAt: this.clock.now(),
        },
        { client: trx }
      )
      entry.useTransaction(trx)
      entry.status = 'awaiting_approval'
      await entry.save()
      await this.auditLog.record(
        {
          action: 'faq_entry.approval_requested',
          subject: entry,
          details: { version: version.version },
        },
        trx
      )
      return version
    })
    await this.notices.requested(Approvers.forFaqChange(entry, created), user)
    return created
  }
}
