import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import AuditLogger from '#services/audit_logger'
import FaqSearch from '#services/faq/faq_search'

/**
 * 公開停止: the supervisor takes an entry off the citizen site and the
 * operators' search at once. Its versions stay for the record; publishing
 * it again takes a new approval.
 */
@inject()
export default class WithdrawFaqEntry {
  constructor(private auditLog: AuditLogger) {}

  async handle(entry: FaqEntry): Promise<void> {
    await db.transaction(async (trx) => {
      entry.useTransaction(trx)
      entry.merge({ status: 'withdrawn', publishedVersionId: null })
      await entry.save()
      await FaqSearch.reindexMany([entry.id], trx)
      await this.auditLog.record({ action: 'faq_entry.withdrawn', subject: entry }, trx)
    })
  }
}
