import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import FaqDiff from '#services/faq/faq_diff'

export type RequestFaqApprovalResult = { ok: true; version: FaqVersion } | { ok: false; message: string }

/**
 * 電子的な承認依頼: freezes the working copy as the next version and puts it
 * before the department's supervisor. Nothing to approve when the working
 * copy equals the published version.
 */
export default class RequestFaqApproval {
  async handle(entry: FaqEntry, user: User): Promise<RequestFaqApprovalResult> {
    if (entry.status !== 'draft') return { ok: false, message: 'faq.errors.not_draft' }
    await entry.load('publishedVersion')
    if (entry.publishedVersion) {
      const difference = FaqDiff.between(entry.publishedVersion, entry, { topicName: String, yes: '1', no: '0' })
      if (difference.same) return { ok: false, message: 'faq.errors.no_change' }
    }

    const version = await db.transaction(async (trx) => {
      const last = await trx.from('faq_versions').where('faq_entry_id', entry.id).max('version as version').first()
      const created = await FaqVersion.create(
        {
          ...entry.content(),
          faqEntryId: entry.id,
          version: Number(last?.version ?? 0) + 1,
          state: 'awaiting_approval',
          requestedByUserId: user.id,
          requestedAt: DateTime.now(),
        },
        { client: trx }
      )
      entry.useTransaction(trx)
      entry.status = 'awaiting_approval'
      await entry.save()
      await AuditLogger.record(
        { action: 'faq_entry.approval_requested', subject: entry, details: { version: created.version } },
        trx
      )
      return created
    })
    return { ok: true, version }
  }
}
