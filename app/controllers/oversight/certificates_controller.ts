import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { ERASURE_METHODS } from '#models/deletion_certificate'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmitCertificate from '#actions/oversight/submit_certificate'
import ReviewSubmission from '#actions/oversight/review_submission'
import StoredFiles from '#services/oversight/stored_files'
import SubmissionQueries from '#services/oversight/submission_queries'
import { certificateValidator } from '#validators/oversight/certificate'
import { submissionRejectionValidator } from '#validators/oversight/review'

export default class CertificatesController {
  /** The deletion certificates of a contract, newest first. */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('viewFor', contract)
    const certificates = await SubmissionQueries.certificates(contract.id)
    const canSubmit = await bouncer.with(CertificatePolicy).allows('submitFor', contract)
    return view.render('pages/oversight/certificates/index', { contract, certificates, canSubmit })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    return view.render('pages/oversight/certificates/create', {
      contract,
      methods: ERASURE_METHODS,
    })
  }

  /** Uploads the certificate; a wrong or too large file is refused (DomainError) and nothing is saved. */
  @inject()
  async store(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    submit: SubmitCertificate
  ) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(certificateValidator)
    const certificate = await submit.handle(
      contract,
      input,
      request.file('certificate'),
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('portal.certificates.submitted'))
    return response.redirect().toRoute('certificates.show', { id: certificate.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const certificate = await SubmissionQueries.certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('view', certificate)
    await SubmissionQueries.certificateDetails(certificate)
    const canReview =
      certificate.status === 'submitted' &&
      (await bouncer.with(CertificatePolicy).allows('verify', certificate))
    const canResubmit =
      certificate.status === 'rejected' &&
      (await bouncer.with(CertificatePolicy).allows('submitFor', certificate.contract))
    return view.render('pages/oversight/certificates/show', {
      certificate,
      contract: certificate.contract,
      canReview,
      canResubmit,
    })
  }

  /** Streams the PDF to whoever may see the certificate; it is never served publicly. */
  @inject()
  async download({ params, response, bouncer, auditLog }: HttpContext, files: StoredFiles) {
    const certificate = await SubmissionQueries.certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('view', certificate)
    const { storageKey, originalName, size } = certificate
    const sent = await files.send(response, {
      storageKey,
      originalName,
      size,
      contentType: 'application/pdf',
    })
    await auditLog.record({ action: 'deletion_certificate.download', subject: certificate })
    return sent
  }

  @inject()
  async verify(
    { params, response, bouncer, auth, session, i18n }: HttpContext,
    review: ReviewSubmission
  ) {
    const certificate = await SubmissionQueries.certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('verify', certificate)
    const done = await review.verify(certificate, auth.use('web').getUserOrFail())
    session.flash(
      'success',
      i18n.t(done ? 'portal.certificates.verified' : 'portal.certificates.already_reviewed')
    )
    return response.redirect().toRoute('certificates.show', { id: certificate.id })
  }

  /** Sends the certificate back with a reason. */
  @inject()
  async reject(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    review: ReviewSubmission
  ) {
    const certificate = await SubmissionQueries.certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('verify', certificate)
    const { rejectionReason } = await request.validateUsing(submissionRejectionValidator)
    const done = await review.reject(certificate, rejectionReason, auth.use('web').getUserOrFail())
    session.flash(
      'success',
      i18n.t(done ? 'portal.certificates.rejected' : 'portal.certificates.already_reviewed')
    )
    return response.redirect().toRoute('certificates.show', { id: certificate.id })
  }
}
