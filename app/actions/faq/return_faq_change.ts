import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import type FaqVersion from '#models/faq_version'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import FaqDecisionNotice from '#actions/faq/faq_decision_notice'

/**
 * The supervisor sends the change back with a comment: the working copy is
 * a draft again for the author to fix; the published version stays online.
 */
@inject()
export default class ReturnFaqChange {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock,
    private notice: FaqDecisionNotice
  ) {}

  async handle(entry: FaqEntry, version: FaqVersion, user: User, comment: string): Promise<void> {
    await db.transaction(async (trx) => {
      version.useTransaction(trx)
      version.merge({
        state: 'returned',
        decidedByUserId: user.id,
        decidedAt: this.clock.now(),
        decisionComment: comment,
      })
      await version.save()
      entry.useTransaction(trx)
      entry.status = 'draft'
      await entry.save()
      // The comment is the supervisor's text about the FAQ, kept on the version; the log names the step only.
      await this.auditLog.record(
        {
          action: 'faq_entry.returned',
          subject: entry,
          details: { version: version.version, author: version.requestedByUserId },
        },
        trx
      )
    })
    await this.notice.send(entry, version, 'returned')
  }
}
