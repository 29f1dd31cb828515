import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import Contract from '#models/contract'
import DeletionCertificate, { ERASURE_METHODS } from '#models/deletion_certificate'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmitCertificate from '#actions/oversight/submit_certificate'
import ReviewCertificate from '#actions/oversight/review_certificate'
import AuditLogger from '#services/audit_logger'
import UploadChecker, { UPLOAD_DISK } from '#services/uploads/upload_checker'
import { certificateRejectionValidator, certificateValidator } from '#validators/oversight/certificate'

export default class CertificatesController {
  /** The deletion certificates of a contract, newest first. */
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('viewFor', contract)
    const certificates = await DeletionCertificate.query().where('contractId', contract.id).orderBy('id', 'desc')
    const canSubmit = await bouncer.with(CertificatePolicy).allows('submitFor', contract)
    return view.render('pages/oversight/certificates/index', { contract, certificates, canSubmit })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    return view.render('pages/oversight/certificates/create', { contract, methods: ERASURE_METHODS })
  }

  /** Uploads the certificate; a wrong or too large file is refused and nothing is saved. */
  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await Contract.findWithParties(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(certificateValidator)
    const result = await new SubmitCertificate().handle(contract, input, request.file('certificate'), auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashOnly(['method', 'media', 'erasedOn', 'notes'])
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().toRoute('certificates.create', { contractId: contract.id })
    }
    session.flash('success', i18n.t('portal.certificates.submitted'))
    return response.redirect().toRoute('certificates.show', { id: result.certificate.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const certificate = await this.#certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('view', certificate)
    await certificate.load('reviewedBy')
    const canReview = certificate.status === 'submitted' && (await bouncer.with(CertificatePolicy).allows('verify', certificate))
    return view.render('pages/oversight/certificates/show', { certificate, contract: certificate.contract, canReview })
  }

  /** Streams the PDF to whoever may see the certificate; it is never served publicly. */
  async download({ params, response, bouncer }: HttpContext) {
    const certificate = await this.#certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('view', certificate)
    const stream = await drive.use(UPLOAD_DISK).getStream(certificate.storageKey)
    await AuditLogger.record({ action: 'deletion_certificate.download', subject: certificate })
    response.header('content-type', 'application/pdf')
    response.header('content-length', String(certificate.size))
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.header('content-disposition', UploadChecker.disposition(certificate.originalName))
    return response.stream(stream)
  }

  async verify({ params, response, bouncer, auth, session, i18n }: HttpContext) {
    const certificate = await this.#certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('verify', certificate)
    const done = await new ReviewCertificate().verify(certificate, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t(done ? 'portal.certificates.verified' : 'portal.certificates.already_reviewed'))
    return response.redirect().toRoute('certificates.show', { id: certificate.id })
  }

  /** Sends the certificate back with a reason. */
  async reject({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const certificate = await this.#certificate(params.id)
    await bouncer.with(CertificatePolicy).authorize('verify', certificate)
    const { rejectionReason } = await request.validateUsing(certificateRejectionValidator)
    const done = await new ReviewCertificate().reject(certificate, rejectionReason, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t(done ? 'portal.certificates.rejected' : 'portal.certificates.already_reviewed'))
    return response.redirect().toRoute('certificates.show', { id: certificate.id })
  }


  async #certificate(id: number) {
    const certificate = await DeletionCertificate.findOrFail(id)
    certificate.$setRelated('contract', await Contract.findWithParties(certificate.contractId))
    return certificate
  }
}
