import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import {
  INCIDENT_KINDS,
  NOTIFICATION_METHODS,
  PPC_STAGES,
} from '#services/oversight/incident_reportability'
import { listOf } from '#validators/list_input'

/** A datetime-local input (minutes), read as the ward's wall-clock time. */
const clock = () =>
  vine.date({ formats: ['YYYY-MM-DDTHH:mm', 'YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DD HH:mm'] })

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()

/** 事故報告: filing and editing. The order of the three times is checked by the action. */
export const incidentReportValidator = vine.compile(
  vine.object({
    kind: vine.enum(INCIDENT_KINDS),
    occurredAt: clock().optional(),
    discoveredAt: clock(),
    reportedToWardAt: clock(),
    peopleAffected: vine.number().withoutDecimals().min(0).max(100_000_000).optional(),
    peopleAffectedUnknown: vine.boolean().optional(),
    dataItemIds: listOf(recordId()).distinct().optional(),
    summary: vine.string().trim().minLength(1).maxLength(20000),
    cause: optionalText(),
    secondaryDamage: optionalText(),
    measures: optionalText(),
    wardInstructions: optionalText(),
    followUp: optionalText(),
    publication: optionalText(),
    financialDamageRisk: vine.boolean().optional(),
    improperPurposeSuspected: vine.boolean().optional(),
  })
)

/** A report sent to the Personal Information Protection Commission (速報 or 確報). */
export const ppcReportValidator = vine.compile(
  vine.object({
    ppcStage: vine.enum(PPC_STAGES),
    ppcSentAt: clock(),
  })
)

/** The notification of the individuals concerned (本人への通知). */
export const individualsNotificationValidator = vine.compile(
  vine.object({
    notifiedAt: clock(),
    notificationMethod: vine.enum(NOTIFICATION_METHODS),
    notificationNote: optionalText(2000),
  })
)

/** Incident list filters. */
export const incidentSearchValidator = vine.compile(
  vine.object({
    reportable: vine.enum(['yes', 'no'] as const).optional(),
    overdue: vine.boolean().optional(),
    sort: vine.enum(['discovered', 'deadline'] as const).optional(),
  })
)
