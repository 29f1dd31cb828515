import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import PeriodicReport from '#models/periodic_report'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import DutyLedger from '#services/oversight/duty_ledger'
import UploadChecker from '#services/uploads/upload_checker'
import StoredFiles from '#services/oversight/stored_files'
import OversightNotices from '#services/oversight/oversight_notices'
import { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'

export interface PeriodicReportInput {
  period: string
  subscribers?: number
  deliveries?: number
  notes?: string
}

/** A refusal shown on a field of the report form, which comes back with what was typed. */
const refused = (contract: Contract, field: string, message: string) =>
  new DomainError(message, {
    field,
    redirectTo: { route: 'periodic_reports.create', params: { contractId: contract.id } },
  })

/**
 * Files a periodic report (定期報告) for one period, with an optional PDF
 * (checked like every upload). The report duty of that period then waits
 * for the ward's check (確認待ち). One report per period: another one is
 * refused unless every earlier one was sent back (差戻し).
 */
@inject()
export default class SubmitPeriodicReport {
  constructor(
    private auditLog: AuditLogger,
    private files: StoredFiles,
    private clock: Clock,
    private notices: OversightNotices
  ) {}

  async handle(
    contract: Contract,
    input: PeriodicReportInput,
    file: MultipartFile | null,
    user: User
  ): Promise<PeriodicReport> {
    const check = await UploadChecker.checkPdf(file, { optional: true })
    if (check && !check.ok) throw refused(contract, 'report', check.message)
    if (
      input.subscribers === undefined &&
      input.deliveries === undefined &&
      !input.notes &&
      !check
    ) {
      throw refused(contract, 'subscribers', 'portal.errors.report_empty')
    }
    const taken = await PeriodicReport.query()
      .where('contractId', contract.id)
      .where('period', input.period)
      .whereIn('status', ['submitted', 'verified'])
      .first()
    if (taken) throw refused(contract, 'period', 'portal.errors.period_taken')

    const key = check ? UploadChecker.randomKey('periodic-reports') : null
    const size = check ? file!.size : null
    const save = () =>
      db.transaction(async (trx) => {
        const submittedOn = this.clock.now().setZone(WARD_ZONE).startOf('day')
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
            status: 'submitted',
          },
          { client: trx }
        )
        await this.auditLog.record(
          {
            action: 'periodic_report.submit',
            subject: created,
            changedFields: [
              'period',
              'subscribers',
              'deliveries',
              'notes',
              ...(key ? ['file'] : []),
            ],
            details: { contractId: contract.id },
          },
          trx
        )
        await DutyLedger.submit(
          contract.id,
          'periodic_report',
          input.period,
          { type: 'periodic_report', id: created.id, on: submittedOn },
          this.auditLog,
          trx
        )
        return created
      })
    const report = await (key ? this.files.store(file!, key, save) : save())
    // The department and the privacy office are mailed (queued).
    await this.notices.periodicReport(report, user)
    return report
  }
}
