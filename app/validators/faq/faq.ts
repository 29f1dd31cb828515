import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { CSV_INPUT_ENCODINGS } from '#services/csv/csv_parse'
import { LEGACY_IMPORT_KINDS } from '#services/imports/legacy_import'

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
