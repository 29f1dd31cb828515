import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmitPeriodicReport from '#actions/oversight/submit_periodic_report'
import ReviewSubmission from '#actions/oversight/review_submission'
import StoredFiles from '#services/oversight/stored_files'
import SubmissionQueries from '#services/oversight/submission_queries'
import { periodicReportValidator } from '#validators/oversight/periodic_report'
import { submissionRejectionValidator } from '#validators/oversight/review'

export default class PeriodicReportsController {
  /** The periodic reports of a contract, newest period first (those sent back too). */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('viewFor', contract)
    const reports = await SubmissionQueries.reports(contract.id)
    const canSubmit = await bouncer.with(CertificatePolicy).allows('submitFor', contract)
    return view.render('pages/oversight/periodic_reports/index', { contract, reports, canSubmit })
  }

  /** The form, proposing the earliest period whose report is still open. */
  async create({ params, request, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const asked = String(request.input('period') ?? '')
    const period = /^\d{4}-\d{2}$/.test(asked)
      ? asked
      : await SubmissionQueries.openPeriod(contract.id)
    return view.render('pages/oversight/periodic_reports/create', { contract, period })
  }

  /** Files the report; a refusal (DomainError) brings the form back with what was typed. */
  @inject()
  async store(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    submit: SubmitPeriodicReport
  ) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(periodicReportValidator)
    const report = await submit.handle(
      contract,
      input,
      request.file('report'),
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('portal.reports.submitted'))
    return response.redirect().toRoute('periodic_reports.show', { id: report.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const report = await SubmissionQueries.report(params.id)
    await bouncer.with(CertificatePolicy).authorize('viewReport', report)
    await report.load('reviewedBy')
    const canReview =
      report.status === 'submitted' &&
      (await bouncer.with(CertificatePolicy).allows('verifyReport', report))
    const canResubmit =
      report.status === 'rejected' &&
      (await bouncer.with(CertificatePolicy).allows('submitFor', report.contract))
    return view.render('pages/oversight/periodic_reports/show', {
      report,
      contract: report.contract,
      canReview,
      canResubmit,
    })
  }

  /** Streams the report's PDF to whoever may see the report. */
  @inject()
  async download({ params, response, bouncer, auditLog }: HttpContext, files: StoredFiles) {
    const report = await SubmissionQueries.report(params.id)
    await bouncer.with(CertificatePolicy).authorize('viewReport', report)
    if (!report.storageKey || !report.originalName) return response.notFound()
    const { storageKey, originalName, size } = report
    const sent = await files.send(response, {
      storageKey,
      originalName,
      size,
      contentType: 'application/pdf',
    })
    await auditLog.record({ action: 'periodic_report.download', subject: report })
    return sent
  }

  /** Confirms the report (確認済み): the report duty of its period is satisfied. */
  @inject()
  async verify(
    { params, response, bouncer, auth, session, i18n }: HttpContext,
    review: ReviewSubmission
  ) {
    const report = await SubmissionQueries.report(params.id)
    await bouncer.with(CertificatePolicy).authorize('verifyReport', report)
    const done = await review.verify(report, auth.use('web').getUserOrFail())
    session.flash(
      'success',
      i18n.t(done ? 'portal.reports.verified' : 'portal.reports.already_reviewed')
    )
    return response.redirect().toRoute('periodic_reports.show', { id: report.id })
  }

  /** Sends the report back with a reason (差戻し); the contractor files a new one. */
  @inject()
  async reject(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    review: ReviewSubmission
  ) {
    const report = await SubmissionQueries.report(params.id)
    await bouncer.with(CertificatePolicy).authorize('verifyReport', report)
    const { rejectionReason } = await request.validateUsing(submissionRejectionValidator)
    const done = await review.reject(report, rejectionReason, auth.use('web').getUserOrFail())
    session.flash(
      'success',
      i18n.t(done ? 'portal.reports.rejected' : 'portal.reports.already_reviewed')
    )
    return response.redirect().toRoute('periodic_reports.show', { id: report.id })
  }
}
