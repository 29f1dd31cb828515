import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import PeriodicReport from '#models/periodic_report'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmitPeriodicReport from '#actions/oversight/submit_periodic_report'
import AuditLogger from '#services/audit_logger'
import UploadChecker, { UPLOAD_DISK } from '#services/uploads/upload_checker'
import { periodicReportValidator } from '#validators/oversight/periodic_report'

export default class PeriodicReportsController {
  /** The periodic reports of a contract, newest period first. */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('viewFor', contract)
    const reports = await PeriodicReport.query().where('contractId', contract.id).orderBy('period', 'desc')
    const canSubmit = await bouncer.with(CertificatePolicy).allows('submitFor', contract)
    return view.render('pages/oversight/periodic_reports/index', { contract, reports, canSubmit })
  }

  /** The form, proposing the earliest period whose report is still open. */
  async create({ params, request, view, bouncer }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const open = await OversightDuty.query()
      .where('contractId', contract.id)
      .where('kind', 'periodic_report')
      .where('state', 'open')
      .orderBy('dueOn')
      .first()
    const period = /^\d{4}-\d{2}$/.test(String(request.input('period') ?? '')) ? String(request.input('period')) : (open?.periodKey ?? '')
    return view.render('pages/oversight/periodic_reports/create', { contract, period })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(periodicReportValidator)
    const result = await new SubmitPeriodicReport().handle(contract, input, request.file('report'), auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashOnly(['period', 'subscribers', 'deliveries', 'notes'])
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().toRoute('periodic_reports.create', { contractId: contract.id })
    }
    session.flash('success', i18n.t('portal.reports.submitted'))
    return response.redirect().toRoute('periodic_reports.show', { id: result.report.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const report = await this.#report(params.id)
    await bouncer.with(CertificatePolicy).authorize('viewReport', report)
    return view.render('pages/oversight/periodic_reports/show', { report, contract: report.contract })
  }

  /** Streams the report's PDF to whoever may see the report. */
  async download({ params, response, bouncer }: HttpContext) {
    const report = await this.#report(params.id)
    await bouncer.with(CertificatePolicy).authorize('viewReport', report)
    if (!report.storageKey || !report.originalName) return response.notFound()
    const stream = await drive.use(UPLOAD_DISK).getStream(report.storageKey)
    await AuditLogger.record({ action: 'periodic_report.download', subject: report })
    response.header('content-type', 'application/pdf')
    response.header('content-length', String(report.size))
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.header('content-disposition', UploadChecker.disposition(report.originalName))
    return response.stream(stream)
  }


  async #report(id: number) {
    const report = await PeriodicReport.findOrFail(id)
    report.$setRelated('contract', await Contract.findWithParties(report.contractId))
    return report
  }
}
