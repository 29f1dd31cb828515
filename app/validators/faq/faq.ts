import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { CSV_INPUT_ENCODINGS } from '#services/csv/csv_parse'
import { LEGACY_IMPORT_KINDS } from '#services/imports/legacy_import'
import { choice, labelled } from '#validators/form_messages'

const optionalText = (max: number) => vine.string().trim().maxLength(max).optional()

/** An FAQ entry's working copy (new or changed). Links are checked line by line by the action. */
export const faqEntryValidator = vine.compile(
  vine.object({
    departmentId: recordId().exists({ table: 'departments', column: 'id' }),
    topicId: recordId().exists({ table: 'topics', column: 'id' }),
    question: vine.string().trim().minLength(1).maxLength(500),
    // Not "answer": that field name is the audit checklist's 「結果」 in the shared validator messages.
    answerText: vine.string().trim().minLength(1).maxLength(20000),
    keywords: optionalText(500),
    relatedLinks: optionalText(5000),
    internalNotes: optionalText(5000),
    visibleToCallCenter: vine.boolean().optional(),
  })
)

/** The supervisor's comment: optional on approval. */
export const faqApprovalValidator = vine.compile(
  vine.object({
    comment: optionalText(2000),
  })
)

/** Sending a change back needs a reason the author can act on. */
export const faqReturnValidator = vine.compile(
  vine.object({
    comment: vine.string().trim().minLength(1).maxLength(2000),
  })
)

/** Search forms (staff and citizen). */
export const faqSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    topicId: recordId().optional(),
    status: vine.enum(['draft', 'awaiting_approval', 'published', 'withdrawn'] as const).optional(),
  })
)

/** The citizen site's search box. */
export const publicFaqSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
  })
)

/** Comparing two versions. */
export const faqHistoryValidator = vine.compile(
  vine.object({
    from: recordId().min(1).optional(),
    to: recordId().min(1).optional(),
  })
)

/** A legacy CSV to check (then import from the check's result). */
export const legacyImportValidator = vine.compile(
  vine.object({
    kind: vine.enum(LEGACY_IMPORT_KINDS),
    encoding: vine.enum(CSV_INPUT_ENCODINGS),
    file: vine.file({ size: '20mb', extnames: ['csv', 'txt', 'CSV', 'TXT'] }),
  })
)

/* The forms' labels (#validators/form_messages). */
labelled(faqEntryValidator, {
  departmentId: choice('faq.fields.department'),
  topicId: choice('faq.fields.topic'),
  question: 'faq.fields.question',
  answerText: 'faq.fields.answer',
  keywords: 'faq.fields.keywords',
  relatedLinks: 'faq.fields.related_links',
  internalNotes: 'faq.fields.internal_notes',
  visibleToCallCenter: 'faq.fields.visible_to_call_center',
})
labelled(faqApprovalValidator, { comment: 'faq.show.comment' })
labelled(faqReturnValidator, { comment: 'faq.show.return_comment' })
labelled(faqSearchValidator, {
  q: 'faq.search.q',
  topicId: choice('faq.fields.topic'),
  status: choice('faq.fields.status'),
})
labelled(publicFaqSearchValidator, { q: 'faq.public.search_label' })
labelled(faqHistoryValidator, { from: choice('faq.history.from'), to: choice('faq.history.to') })
labelled(legacyImportValidator, {
  kind: choice('faq.import.kind'),
  encoding: choice('faq.import.encoding'),
  file: choice('faq.import.file'),
})
