import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { REPLY_METHODS } from '#enums/opinion'
import { choice, labelled } from '#validators/form_messages'

/** A canned reply text (定型文), new or changed. */
export const cannedTextValidator = vine.compile(
  vine.object({
    departmentId: recordId().exists({ table: 'departments', column: 'id' }),
    title: vine.string().trim().minLength(1).maxLength(100),
    body: vine.string().trim().minLength(1).maxLength(10_000),
  })
)

/** The list's department filter. */
export const cannedTextFilterValidator = vine.compile(
  vine.object({
    departmentId: recordId().optional(),
    page: vine.number().withoutDecimals().min(1).max(100_000).optional(),
  })
)

/**
 * 「挿入」 on the reply form: what was typed so far (kept as it is, not
 * trimmed, nothing required) and the canned text to add.
 */
export const cannedTextInsertValidator = vine.compile(
  vine.object({
    body: vine.string().maxLength(10_000).optional(),
    method: vine.enum(REPLY_METHODS).optional(),
    cannedTextId: recordId(),
  })
)

/* The forms' labels (#validators/form_messages). */
labelled(cannedTextValidator, {
  departmentId: choice('canned_texts.fields.department'),
  title: 'canned_texts.fields.title',
  body: 'canned_texts.fields.body',
})
labelled(cannedTextFilterValidator, {
  departmentId: choice('canned_texts.fields.department'),
  page: 'messages.common.pagination',
})
labelled(cannedTextInsertValidator, {
  body: 'opinions.reply.body',
  method: choice('opinions.reply.method'),
  cannedTextId: choice('canned_texts.insert.label'),
})
