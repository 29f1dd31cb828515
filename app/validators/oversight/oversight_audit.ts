import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { AUDIT_ANSWERS } from '#services/oversight/oversight_audit_checklist'
import { listOf, rowsOf, tableRows } from '#validators/list_input'

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()
const date = () => vine.date({ formats: ['YYYY-MM-DD'] })

/** 実施日 and 調査員; the number of distinct ward auditors is checked by the action. */
const header = {
  auditedOn: date(),
  auditorIds: listOf(recordId()).optional(),
}

/** 立入調査: create (the checklist is generated from the contract). */
export const oversightAuditValidator = vine.compile(vine.object(header))

/**
 * 立入調査: answers, findings and corrective actions, as many rows as the
 * audit has. Blank finding and action rows (the form offers some) are left
 * out: they read as null and keep their place, so errors name the row the
 * user sees.
 */
export const oversightAuditUpdateValidator = vine.compile(
  vine.object({
    ...header,
    lines: rowsOf(
      vine.object({
        id: recordId(),
        answer: vine.enum(AUDIT_ANSWERS).optional(),
        note: optionalText(2000),
      })
    ).optional(),
    findings: tableRows(
      vine.object({
        id: recordId().optional(),
        lineId: recordId().optional(),
        detail: vine.string().trim().minLength(1).maxLength(5000),
      }),
      ['detail']
    ).optional(),
    actions: tableRows(
      vine.object({
        id: recordId().optional(),
        lineId: recordId().optional(),
        measure: vine.string().trim().minLength(1).maxLength(5000),
        owner: vine.string().trim().minLength(1).maxLength(100),
        dueOn: date(),
        doneOn: date().optional(),
      }),
      ['measure', 'owner', 'dueOn', 'doneOn']
    ).optional(),
  })
)

/** An attachment: type, size and content are checked by the action (extension and magic bytes). */
export const auditAttachmentValidator = vine.compile(
  vine.object({
    file: vine.file().optional(),
    caption: optionalText(200),
  })
)
