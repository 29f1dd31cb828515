import vine from '@vinejs/vine'
import { labelled } from '#validators/form_messages'

/** 定期報告: the period's figures and an optional PDF (checked by UploadChecker). */
export const periodicReportValidator = vine.compile(
  vine.object({
    /** First month of the period, as a month input sends it: 2026-09. */
    period: vine
      .string()
      .trim()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    subscribers: vine.number().withoutDecimals().min(0).max(100_000_000).optional(),
    deliveries: vine.number().withoutDecimals().min(0).max(1_000_000_000).optional(),
    notes: vine.string().trim().maxLength(5000).optional(),
  })
)

/* The form's labels (#validators/form_messages). */
labelled(periodicReportValidator, {
  period: 'portal.reports.period',
  subscribers: 'portal.reports.subscribers',
  deliveries: 'portal.reports.deliveries',
  notes: 'portal.reports.notes',
})
