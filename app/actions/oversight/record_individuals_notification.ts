import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import type IncidentReport from '#models/incident_report'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import WardCalendar from '#services/ward_calendar'
import type { individualsNotificationValidator } from '#validators/oversight/incident'

export type IndividualsNotificationInput = Infer<typeof individualsNotificationValidator>

/**
 * Records the notification of the individuals concerned (本人への通知, 法68条2項):
 * the date and time and how (a phone call counts, but it is recorded).
 * Refusals are DomainErrors on `notifiedAt`.
 */
@inject()
export default class RecordIndividualsNotification {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(report: IncidentReport, input: IndividualsNotificationInput): Promise<void> {
    const notifiedAt = WardCalendar.fromWallClock(input.notifiedAt)
    if (notifiedAt > this.clock.now().plus({ minutes: 5 })) {
      throw new DomainError('incidents.errors.future', { field: 'notifiedAt' })
    }
    if (notifiedAt < report.discoveredAt) {
      throw new DomainError('incidents.errors.notified_before_discovered', { field: 'notifiedAt' })
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
      await this.auditLog.record(
        { action: 'incident_report.notify_individuals', subject: report, changedFields },
        trx
      )
    })
  }
}
