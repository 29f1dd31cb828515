import vine from '@vinejs/vine'
import {
  CONSENT_PURPOSES,
  HANDLING_KINDS,
  OPINION_ATTACHMENT_KINDS,
  OPINION_CHANNELS,
  OPINION_EVENT_KINDS,
  OPINION_KINDS,
  OPINION_STATUSES,
  REPLY_METHODS,
  STAFF_INTAKE_CHANNELS,
} from '#enums/opinion'
import { listOf } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

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
    personalDataConsent: vine.boolean().optional(),
    consentPurposes: listOf(vine.enum(CONSENT_PURPOSES)).distinct().optional(),
    consentPurposeNote: optionalText(500),
  })
)

/**
 * A correction of an opinion's details after intake (訂正). A contact detail sent empty
 * (null) is cleared; a field not sent at all stays as it is.
 */
export const detailsCorrectionValidator = labelled(
  vine.compile(
    vine.object({
      subject: subject(),
      topicId: existingId('topics').nullable().optional(),
      channel: vine.enum(STAFF_INTAKE_CHANNELS).optional(),
      submitterName: vine.string().trim().maxLength(100).nullable().optional(),
      submitterPostalCode: postalCode().nullable().optional(),
      submitterAddress: vine.string().trim().maxLength(200).nullable().optional(),
      submitterPhone: phone().nullable().optional(),
      submitterEmail: vine.string().trim().email().maxLength(254).nullable().optional(),
      submitterFax: phone().nullable().optional(),
      correctionReason: optionalText(2000),
    })
  ),
  {
    subject: 'opinions.fields.subject',
    topicId: choice('opinions.fields.topic'),
    channel: choice('opinions.fields.channel'),
    submitterName: 'opinions.fields.submitter_name',
    submitterPostalCode: 'opinions.fields.submitter_postal_code',
    submitterAddress: 'opinions.fields.submitter_address',
    submitterPhone: 'opinions.fields.submitter_phone',
    submitterEmail: 'opinions.fields.submitter_email',
    submitterFax: 'opinions.fields.submitter_fax',
    correctionReason: 'opinions.corrections.reason',
  }
)

/** An attachment's kind (the file itself is read and checked by AttachOpinionFile). */
export const attachmentValidator = labelled(
  vine.compile(
    vine.object({
      kind: vine.enum(OPINION_ATTACHMENT_KINDS),
    })
  ),
  { kind: choice('opinions.attachments.kind') }
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

/** The person (担当者) of a forwarded department; none clears it. */
export const assignmentValidator = vine.compile(
  vine.object({
    departmentId: existingId('departments'),
    assignedUserId: id().optional(),
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
    handling: vine.enum(['pending'] as const).optional(),
    assignee: vine.enum(['me'] as const).optional(),
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

/*
| The forms' labels (#validators/form_messages). The intake forms (staff,
| citizen, anonymous) share theirs.
*/
const OPINION_LABELS = {
  channel: choice('opinions.fields.channel'),
  receivedAt: 'opinions.fields.received_at',
  kind: choice('opinions.fields.kind'),
  topicId: choice('opinions.fields.topic'),
  subject: 'opinions.fields.subject',
  body: 'opinions.fields.body',
  anonymous: 'opinions.fields.anonymous',
  replyWanted: 'opinions.fields.reply_wanted',
  replyMethod: choice('opinions.fields.reply_method'),
  submitterName: 'opinions.fields.submitter_name',
  submitterPostalCode: 'opinions.fields.submitter_postal_code',
  submitterAddress: 'opinions.fields.submitter_address',
  submitterPhone: 'opinions.fields.submitter_phone',
  submitterEmail: 'opinions.fields.submitter_email',
  submitterFax: 'opinions.fields.submitter_fax',
  departmentIds: choice('opinions.fields.departments'),
  leadDepartmentId: choice('opinions.forward.lead'),
  personalDataConsent: 'opinions.intake_form.consent_label',
  consentPurposes: choice('opinions.intake_form.consent_purposes'),
  consentPurposeNote: 'opinions.intake_form.consent_purpose_note',
}
labelled(citizenOpinionValidator, {
  ...OPINION_LABELS,
  replyWanted: 'opinions.citizen.reply_wanted',
})
labelled(anonymousOpinionValidator, OPINION_LABELS)
labelled(staffIntakeValidator, OPINION_LABELS)
labelled(forwardValidator, {
  departmentIds: choice('opinions.fields.departments'),
  leadDepartmentId: choice('opinions.forward.lead'),
  note: 'opinions.forward.note',
})
labelled(handlingValidator, {
  departmentId: choice('opinions.handling.department'),
  handlingKind: choice('opinions.handling.kind'),
  note: 'opinions.handling.note',
  occurredAt: 'opinions.handling.occurred_at',
})
labelled(assignmentValidator, {
  departmentId: choice('opinions.handling.department'),
  assignedUserId: choice('opinions.assign.label'),
})
labelled(historyNoteValidator, {
  note: 'opinions.note.note',
  occurredAt: 'opinions.note.occurred_at',
})
labelled(historyCorrectionValidator, { note: 'opinions.note.note' })
labelled(replyDraftValidator, {
  body: 'opinions.reply.body',
  method: choice('opinions.reply.method'),
})
labelled(replyReturnValidator, { returnComment: 'opinions.reply.return_comment' })
labelled(opinionSearchValidator, {
  q: 'opinions.filters.q',
  name: 'opinions.filters.name',
  phone: 'opinions.filters.phone',
  email: 'opinions.filters.email',
  status: choice('opinions.fields.status'),
  channel: choice('opinions.fields.channel'),
  kind: choice('opinions.fields.kind'),
  topicId: choice('opinions.fields.topic'),
  departmentId: choice('opinions.filters.department'),
  fiscalYear: 'opinions.fields.fiscal_year',
  due: choice('opinions.due.label'),
  handling: choice('opinions.filters.handling'),
  assignee: choice('opinions.filters.assignee'),
  page: 'messages.common.pagination',
})
labelled(historySearchValidator, {
  q: 'opinions.history.q',
  kind: choice('opinions.history.kind'),
  departmentId: choice('opinions.filters.department'),
  page: 'messages.common.pagination',
})
labelled(closeOpinionValidator, { closeNote: 'opinions.close.note' })
