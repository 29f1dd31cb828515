import vine from '@vinejs/vine'
import {
  HANDLING_KINDS,
  OPINION_CHANNELS,
  OPINION_EVENT_KINDS,
  OPINION_KINDS,
  OPINION_STATUSES,
  REPLY_METHODS,
  STAFF_INTAKE_CHANNELS,
} from '#enums/opinion'
import { listOf } from '#validators/list_input'

/** A datetime-local input (minutes), read as the ward's wall-clock time. */
const clock = () =>
  vine.date({ formats: ['YYYY-MM-DDTHH:mm', 'YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DD HH:mm'] })

/** The largest id a database integer column holds: a larger number is refused before any query. */
const MAX_ID = 2_147_483_647

/** An id as a number (a filter: an unknown one finds nothing). */
const id = () => vine.number().withoutDecimals().min(1).max(MAX_ID)

/** An id chosen from a select or checkbox list: refused with 「選択された…は存在しません」 when no such row exists. */
const existingId = (table: string) => id().exists({ table, column: 'id' })

const optionalText = (max: number) => vine.string().trim().maxLength(max).optional()

const subject = () => vine.string().trim().minLength(1).maxLength(200)
const body = () => vine.string().trim().minLength(1).maxLength(10_000)
const phone = () =>
  vine
    .string()
    .trim()
    .regex(/^[0-9０-９+\-－ー()（） ]{6,20}$/)
const postalCode = () =>
  vine
    .string()
    .trim()
    .regex(/^[0-9０-９]{3}[-－ー]?[0-9０-９]{4}$/)

/** The citizen portal's form: the submitter is the signed-in citizen. */
export const citizenOpinionValidator = vine.compile(
  vine.object({
    kind: vine.enum(OPINION_KINDS),
    topicId: existingId('topics').optional(),
    subject: subject(),
    body: body(),
    replyWanted: vine.boolean().optional(),
    replyMethod: vine.enum(REPLY_METHODS).optional().requiredWhen('replyWanted', '=', true),
    submitterPostalCode: postalCode().optional(),
    submitterAddress: optionalText(200),
    submitterFax: phone().optional(),
  })
)

/** The public form without an account: anonymous, no reply. */
export const anonymousOpinionValidator = vine.compile(
  vine.object({
    kind: vine.enum(OPINION_KINDS),
    topicId: existingId('topics').optional(),
    subject: subject(),
    body: body(),
  })
)

/**
 * Staff intake of a letter, postcard, email, FAX, counter visit or call.
 * The call center asks for a name and a daytime phone number when a
 * department is to reply (checked by the action, with the opening hours).
 */
export const staffIntakeValidator = vine.compile(
  vine.object({
    channel: vine.enum(STAFF_INTAKE_CHANNELS),
    receivedAt: clock(),
    kind: vine.enum(OPINION_KINDS),
    topicId: existingId('topics').optional(),
    subject: subject(),
    body: body(),
    anonymous: vine.boolean().optional(),
    replyWanted: vine.boolean().optional(),
    replyMethod: vine.enum(REPLY_METHODS).optional(),
    submitterName: optionalText(100),
    submitterPostalCode: postalCode().optional(),
    submitterAddress: optionalText(200),
    submitterPhone: phone().optional(),
    submitterEmail: vine.string().trim().email().maxLength(254).optional(),
    submitterFax: phone().optional(),
    departmentIds: listOf(existingId('departments')).distinct().optional(),
    leadDepartmentId: existingId('departments').optional(),
  })
)

/** 関係所属転送: one or more departments, one of them leading. */
export const forwardValidator = vine.compile(
  vine.object({
    departmentIds: listOf(existingId('departments')).minLength(1).distinct(),
    leadDepartmentId: existingId('departments').optional(),
    note: optionalText(2000),
  })
)

/** A department's handling (回答・説明・対応). */
export const handlingValidator = vine.compile(
  vine.object({
    departmentId: existingId('departments'),
    handlingKind: vine.enum(HANDLING_KINDS),
    note: vine.string().trim().minLength(1).maxLength(5000),
    occurredAt: clock().optional(),
  })
)

/** A free history entry (処理履歴), e.g. a call back. */
export const historyNoteValidator = vine.compile(
  vine.object({
    note: vine.string().trim().minLength(1).maxLength(5000),
    occurredAt: clock().optional(),
  })
)

/** A correction of a history entry: the corrected text; the original stays. */
export const historyCorrectionValidator = vine.compile(
  vine.object({
    note: vine.string().trim().minLength(1).maxLength(5000),
  })
)

/** A reply draft of the lead department. */
export const replyDraftValidator = vine.compile(
  vine.object({
    body: vine.string().trim().minLength(1).maxLength(10_000),
    method: vine.enum(REPLY_METHODS),
  })
)

/** A supervisor sends a reply back with a comment. */
export const replyReturnValidator = vine.compile(
  vine.object({
    returnComment: vine.string().trim().minLength(1).maxLength(2000),
  })
)

/** Staff list filters (query string). */
export const opinionSearchValidator = vine.compile(
  vine.object({
    q: optionalText(100),
    name: optionalText(100),
    phone: optionalText(30),
    email: optionalText(254),
    status: vine.enum(OPINION_STATUSES).optional(),
    channel: vine.enum(OPINION_CHANNELS).optional(),
    kind: vine.enum(OPINION_KINDS).optional(),
    topicId: id().optional(),
    departmentId: id().optional(),
    fiscalYear: vine.number().withoutDecimals().range([1990, 2100]).optional(),
    due: vine.enum(['open', 'near_due', 'overdue'] as const).optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/** History search filters. */
export const historySearchValidator = vine.compile(
  vine.object({
    q: optionalText(100),
    kind: vine.enum(OPINION_EVENT_KINDS).optional(),
    departmentId: id().optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/** Closing; the reason is required by the action when a reply was owed and not sent. */
export const closeOpinionValidator = vine.compile(
  vine.object({
    closeNote: optionalText(2000),
  })
)
