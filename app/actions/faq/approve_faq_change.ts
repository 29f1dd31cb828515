import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import FaqSearch from '#services/faq/faq_search'
import FaqDecisionNotice from '#actions/faq/faq_decision_notice'

/**
 * The supervisor approves the change: its version becomes the one citizens
 * read (and find), the entry is published, the author is told by mail.
 */
@inject()
export default class ApproveFaqChange {
  constructor(
    private clock: Clock,
    private notice: FaqDecisionNotice
  ) {}

  async handle(
    entry: FaqEntry,
    version: FaqVersion,
    user: User,
    comment: string | null
  ): Promise<void> {
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
      await AuditLogger.record(
        {
          action: 'faq_entry.approved',
          subject: entry,
          details: { version: version.version, author: version.requestedByUserId },
        },
        trx
      )
    })
    await this.notice.send(entry, version, 'approved')
  }
}
