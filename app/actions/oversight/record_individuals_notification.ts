import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type IncidentReport from '#models/incident_report'
import AuditLogger from '#services/audit_logger'
import WardCalendar from '#services/ward_calendar'
import type { individualsNotificationValidator } from '#validators/oversight/incident'

export type IndividualsNotificationInput = Infer<typeof individualsNotificationValidator>

export type RecordNotificationResult = { ok: true } | { ok: false; field: string; message: string }

/**
 * Records the notification of the individuals concerned (本人への通知, 法68条2項):
 * the date and time and how (a phone call counts, but it is recorded).
 */
export default class RecordIndividualsNotification {
  async handle(report: IncidentReport, input: IndividualsNotificationInput): Promise<RecordNotificationResult> {
    const notifiedAt = WardCalendar.fromWallClock(input.notifiedAt)
    if (notifiedAt > DateTime.now().plus({ minutes: 5 })) {
      return { ok: false, field: 'notifiedAt', message: 'incidents.errors.future' }
    }
    if (notifiedAt < report.discoveredAt) {
      return { ok: false, field: 'notifiedAt', message: 'incidents.errors.notified_before_discovered' }
    }
    await db.transaction(async (trx) => {
      report.useTransaction(trx)
      report.merge({
        individualsNotifiedAt: notifiedAt.toLocal(),
        notificationMethod: input.notificationMethod,
        notificationNote: input.notificationNote ?? null,
      })
      const changedFields = Object.keys(report.$dirty)
      await report.save()
      await AuditLogger.record({ action: 'incident_report.notify_individuals', subject: report, changedFields }, trx)
    })
    return { ok: true }
  }
}
