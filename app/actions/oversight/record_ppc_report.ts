import WardCalendar from '#services/ward_calendar'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type IncidentReport from '#models/incident_report'
import AuditLogger from '#services/audit_logger'
import IncidentReportability from '#services/oversight/incident_reportability'
import type { ppcReportValidator } from '#validators/oversight/incident'

export type PpcReportInput = Infer<typeof ppcReportValidator>

export type RecordPpcReportResult = { ok: true } | { ok: false; field: string; message: string }

/**
 * Records when the ward sent its 速報 or 確報 to the Personal Information
 * Protection Commission. Only a reportable incident is reported, never
 * before it was discovered nor in the future; a correction overwrites the
 * time and is audited like the first entry.
 */
export default class RecordPpcReport {
  async handle(report: IncidentReport, input: PpcReportInput): Promise<RecordPpcReportResult> {
    if (!report.reportable) {
      return { ok: false, field: 'ppcSentAt', message: 'incidents.errors.not_reportable' }
    }
    const sentAt = WardCalendar.fromWallClock(input.ppcSentAt)
    if (sentAt > DateTime.now().plus({ minutes: 5 })) {
      return { ok: false, field: 'ppcSentAt', message: 'incidents.errors.future' }
    }
    if (sentAt < report.discoveredAt) {
      return { ok: false, field: 'ppcSentAt', message: 'incidents.errors.sent_before_discovered' }
    }
    const field = input.ppcStage === 'preliminary' ? 'ppcPreliminarySentAt' : 'ppcFinalSentAt'
    await db.transaction(async (trx) => {
      report.useTransaction(trx)
      report[field] = sentAt.toLocal()
      report.nextDueOn = IncidentReportability.track(report, DateTime.now())?.nextDueOn ?? null
      const changedFields = Object.keys(report.$dirty)
      await report.save()
      await AuditLogger.record({ action: `incident_report.ppc_${input.ppcStage}`, subject: report, changedFields }, trx)
    })
    return { ok: true }
  }
}
