import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import FaqEntry from '#models/faq_entry'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import FaqLinks from '#services/faq/faq_links'
import FaqSearch from '#services/faq/faq_search'
import type { faqEntryValidator } from '#validators/faq/faq'

export type FaqEntryInput = Infer<typeof faqEntryValidator>

export type SaveFaqEntryResult =
  | { ok: true; entry: FaqEntry; changed: boolean }
  | { ok: false; field: string; message: string; values?: Record<string, string> }

/**
 * Creates an entry or changes its working copy. A change never touches the
 * published version: the entry becomes a draft that needs a new approval,
 * while citizens keep reading what was approved.
 */
export default class SaveFaqEntry {
  async handle(entry: FaqEntry, input: FaqEntryInput, user: User): Promise<SaveFaqEntryResult> {
    if (!entry.isEditable) return { ok: false, field: 'question', message: 'faq.errors.awaiting_approval' }
    const links = FaqLinks.parse(input.relatedLinks)
    if (!links.ok) return { ok: false, field: 'relatedLinks', message: 'faq.errors.link', values: { line: String(links.line) } }

    const isNew = !entry.$isPersisted
    entry.merge({
      departmentId: input.departmentId,
      topicId: input.topicId,
      question: input.question,
      answer: input.answerText.replace(/\r\n?/g, '\n'),
      keywords: input.keywords ?? '',
      relatedLinks: links.links,
      internalNotes: input.internalNotes?.replace(/\r\n?/g, '\n') ?? null,
      visibleToCallCenter: input.visibleToCallCenter ?? false,
    })
    // Lucid marks a JSON column dirty on every assignment; compare the links by value.
    const changedFields = Object.keys(entry.$dirty).filter(
      (field) => field !== 'relatedLinks' || JSON.stringify(entry.$original.relatedLinks) !== JSON.stringify(links.links)
    )
    if (!isNew && changedFields.length === 0) return { ok: true, entry, changed: false }

    entry.status = 'draft'
    entry.updatedByUserId = user.id
    if (isNew) entry.createdByUserId = user.id
    await db.transaction(async (trx) => {
      entry.useTransaction(trx)
      await entry.save()
      await FaqSearch.reindexMany([entry.id], trx)
      await AuditLogger.record({ action: isNew ? 'faq_entry.create' : 'faq_entry.update', subject: entry, changedFields }, trx)
    })
    return { ok: true, entry, changed: true }
  }
}
