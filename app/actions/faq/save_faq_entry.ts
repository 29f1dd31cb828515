import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import FaqEntry from '#models/faq_entry'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import FaqLinks from '#services/faq/faq_links'
import FaqSearch from '#services/faq/faq_search'
import type { faqEntryValidator } from '#validators/faq/faq'

export type FaqEntryInput = Infer<typeof faqEntryValidator>

export interface SaveFaqEntryResult {
  entry: FaqEntry
  /** False when the form changed nothing (nothing saved). */
  changed: boolean
}

/**
 * Creates an entry or changes its working copy. A change never touches the
 * published version: the entry becomes a draft that needs a new approval,
 * while citizens keep reading what was approved. Refusals (a change
 * awaiting approval, a related link that is no http(s) address) are
 * DomainErrors on the form's field.
 */
@inject()
export default class SaveFaqEntry {
  constructor(private auditLog: AuditLogger) {}

  async handle(entry: FaqEntry, input: FaqEntryInput, user: User): Promise<SaveFaqEntryResult> {
    if (!entry.isEditable)
      throw new DomainError('faq.errors.awaiting_approval', { field: 'question' })
    const links = FaqLinks.parse(input.relatedLinks)
    if (!links.ok)
      throw new DomainError('faq.errors.link', {
        field: 'relatedLinks',
        data: { line: String(links.line) },
      })

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
      (field) =>
        field !== 'relatedLinks' ||
        JSON.stringify(entry.$original.relatedLinks) !== JSON.stringify(links.links)
    )
    if (!isNew && changedFields.length === 0) return { entry, changed: false }

    entry.status = 'draft'
    entry.updatedByUserId = user.id
    if (isNew) entry.createdByUserId = user.id
    await db.transaction(async (trx) => {
      entry.useTransaction(trx)
      await entry.save()
      await FaqSearch.reindexMany([entry.id], trx)
      await this.auditLog.record(
        { action: isNew ? 'faq_entry.create' : 'faq_entry.update', subject: entry, changedFields },
        trx
      )
    })
    return { entry, changed: true }
  }
}
