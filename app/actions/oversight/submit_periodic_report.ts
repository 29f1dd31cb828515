import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import PeriodicReport from '#models/periodic_report'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'
import UploadChecker, { UPLOAD_DISK } from '#services/uploads/upload_checker'
import { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'

export interface PeriodicReportInput {
  period: string
  subscribers?: number
  deliveries?: number
  notes?: string
}

export type SubmitPeriodicReportResult = { ok: true; report: PeriodicReport } | { ok: false; field: string; message: string }

/**
 * Files a periodic report (定期報告) for one period, with an optional PDF
 * (checked like every upload). It satisfies the report duty of that period.
 * One report per period: a second one is refused.
 */
export default class SubmitPeriodicReport {
  async handle(contract: Contract, input: PeriodicReportInput, file: MultipartFile | null, user: User): Promise<SubmitPeriodicReportResult> {
    const check = await UploadChecker.checkPdf(file, { optional: true })
    if (check && !check.ok) return { ok: false, field: 'report', message: check.message }
    if (input.subscribers === undefined && input.deliveries === undefined && !input.notes && !check) {
      return { ok: false, field: 'subscribers', message: 'portal.errors.report_empty' }
    }
    const taken = await PeriodicReport.query().where('contractId', contract.id).where('period', input.period).first()
    if (taken) return { ok: false, field: 'period', message: 'portal.errors.period_taken' }

    const key = check ? UploadChecker.randomKey('periodic-reports') : null
    const size = check ? file!.size : null
    if (key) await file!.moveToDisk(key, UPLOAD_DISK)
    try {
      const report = await db.transaction(async (trx) => {
        const submittedOn = DateTime.now().setZone(WARD_ZONE).startOf('day')
        const created = await PeriodicReport.create(
          {
            contractId: contract.id,
            period: input.period,
            subscribers: input.subscribers ?? null,
            deliveries: input.deliveries ?? null,
            notes: input.notes ?? null,
            storageKey: key,
            originalName: check ? check.originalName : null,
            size,
            submittedOn,
            submittedByUserId: user.id,
          },
          { client: trx }
        )
        await AuditLogger.record(
          {
            action: 'periodic_report.submit',
            subject: created,
            changedFields: ['period', 'subscribers', 'deliveries', 'notes', ...(key ? ['file'] : [])],
            details: { contractId: contract.id },
          },
          trx
        )
        await DutyLedger.satisfy(contract.id, 'periodic_report', input.period, { type: 'periodic_report', id: created.id, on: submittedOn }, trx)
        return created
      })
      return { ok: true, report }
    } catch (error) {
      if (key) await drive.use(UPLOAD_DISK).delete(key)
      throw error
    }
  }
}
