import WardCalendar from '#services/ward_calendar'
import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import type IncidentReport from '#models/incident_report'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import IncidentReportability from '#services/oversight/incident_reportability'
import type { ppcReportValidator } from '#validators/oversight/incident'

export type PpcReportInput = Infer<typeof ppcReportValidator>

/**
 * Records when the ward sent its 速報 or 確報 to the Personal Information
 * Protection Commission. Only a reportable incident is reported, never
 * before it was discovered nor in the future; a correction overwrites the
 * time and is audited like the first entry. Refusals are DomainErrors on
 * `ppcSentAt`.
 */
@inject()
export default class RecordPpcReport {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(report: IncidentReport, input: PpcReportInput): Promise<void> {
    if (!report.reportable) {
      throw new DomainError('incidents.errors.not_reportable', { field: 'ppcSentAt' })
    }
    const sentAt = WardCalendar.fromWallClock(input.ppcSentAt)
    if (sentAt > this.clock.now().plus({ minutes: 5 })) {
      throw new DomainError('incidents.errors.future', { field: 'ppcSentAt' })
    }
    if (sentAt < report.discoveredAt) {
      throw new DomainError('incidents.errors.sent_before_discovered', { field: 'ppcSentAt' })
    }
    const field = input.ppcStage === 'preliminary' ? 'ppcPreliminarySentAt' : 'ppcFinalSentAt'
    await db.transaction(async (trx) => {
      report.useTransaction(trx)
      report[field] = sentAt.toLocal()
      report.nextDueOn = IncidentReportability.track(report, this.clock.now())?.nextDueOn ?? null
      const changedFields = Object.keys(report.$dirty)
      await report.save()
      await this.auditLog.record(
        { action: `incident_report.ppc_${input.ppcStage}`, subject: report, changedFields },
        trx
      )
    })
  }
}
