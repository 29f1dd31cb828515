import vine from '@vinejs/vine'
import { choice, labelled } from '#validators/form_messages'

/** The compliance dashboard's filters (query string). */
export const oversightFilterValidator = vine.compile(
  vine.object({
    fiscalYear: vine.number().withoutDecimals().min(2000).max(2100).optional(),
    departmentId: vine.number().optional(),
    overdueOnly: vine.boolean().optional(),
  })
)

/** Waiving a duty needs a reason (kept on the duty and in the audit log). */
export const dutyWaiverValidator = vine.compile(
  vine.object({ reason: vine.string().trim().minLength(1).maxLength(2000) })
)

/* The forms' labels (#validators/form_messages). */
labelled(oversightFilterValidator, {
  fiscalYear: 'oversight.fiscal_year',
  departmentId: choice('oversight.department'),
  overdueOnly: 'oversight.overdue_only',
})
labelled(dutyWaiverValidator, { reason: 'oversight.waive_reason' })
