import vine from '@vinejs/vine'
import { AUDIT_ANSWERS } from '#services/audit_checklist'

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()
const date = () => vine.date({ formats: ['YYYY-MM-DD'] })

/** 実施日 and 調査員; the number of distinct ward auditors is checked by the action. */
const header = {
  auditedOn: date(),
  auditorIds: vine.array(vine.number().withoutDecimals()).optional(),
}

/** 立入調査: create (the checklist is generated from the contract). */
export const oversightAuditValidator = vine.compile(vine.object(header))

/** 立入調査: answers, findings and corrective actions. Blank rows are dropped before validation. */
export const oversightAuditUpdateValidator = vine.compile(
  vine.object({
    ...header,
    lines: vine
      .array(
        vine.object({
          id: vine.number().withoutDecimals(),
          answer: vine.enum(AUDIT_ANSWERS).optional(),
          note: optionalText(2000),
        })
      )
      .optional(),
    findings: vine
      .array(
        vine.object({
          id: vine.number().withoutDecimals().optional(),
          lineId: vine.number().withoutDecimals().optional(),
          detail: vine.string().trim().minLength(1).maxLength(5000),
        })
      )
      .optional(),
    actions: vine
      .array(
        vine.object({
          id: vine.number().withoutDecimals().optional(),
          lineId: vine.number().withoutDecimals().optional(),
          measure: vine.string().trim().minLength(1).maxLength(5000),
          owner: vine.string().trim().minLength(1).maxLength(100),
          dueOn: date(),
          doneOn: date().optional(),
        })
      )
      .optional(),
  })
)

/** An attachment: type, size and content are checked by the action (extension and magic bytes). */
export const auditAttachmentValidator = vine.compile(
  vine.object({
    file: vine.file().optional(),
    caption: optionalText(200),
  })
)
