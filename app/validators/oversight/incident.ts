import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import {
  INCIDENT_KINDS,
  NOTIFICATION_METHODS,
  PPC_STAGES,
} from '#services/oversight/incident_reportability'
import { listOf } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

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

/* The forms' labels (#validators/form_messages). */
labelled(incidentReportValidator, {
  kind: choice('incidents.fields.kind'),
  occurredAt: 'incidents.fields.occurred_at',
  discoveredAt: 'incidents.fields.discovered_at',
  reportedToWardAt: 'incidents.fields.reported_to_ward_at',
  peopleAffected: 'incidents.fields.people_affected',
  peopleAffectedUnknown: 'incidents.fields.people_unknown',
  dataItemIds: choice('incidents.fields.data_items'),
  summary: 'incidents.fields.summary',
  cause: 'incidents.fields.cause',
  secondaryDamage: 'incidents.fields.secondary_damage',
  measures: 'incidents.fields.measures',
  wardInstructions: 'incidents.fields.ward_instructions',
  followUp: 'incidents.fields.follow_up',
  publication: 'incidents.fields.publication',
  financialDamageRisk: 'incidents.fields.financial_damage_risk',
  improperPurposeSuspected: 'incidents.fields.improper_purpose',
})
labelled(ppcReportValidator, {
  ppcStage: choice('incidents.ppc.stage'),
  ppcSentAt: 'incidents.ppc.sent_at',
})
labelled(individualsNotificationValidator, {
  notifiedAt: 'incidents.notification.notified_at',
  notificationMethod: choice('incidents.notification.method'),
  notificationNote: 'incidents.notification.note',
})
labelled(incidentSearchValidator, {
  reportable: choice('incidents.filters.reportable'),
  overdue: 'incidents.filters.overdue',
  sort: choice('incidents.filters.sort'),
})
