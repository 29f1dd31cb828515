import type { HttpContext } from '@adonisjs/core/http'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmitTrainingRecord from '#actions/oversight/submit_training_record'
import SubmissionQueries from '#services/oversight/submission_queries'
import { trainingRecordValidator } from '#validators/oversight/training_record'

/**
 * Training records of a contract: filed by the contractor, read by the
 * department (same access as the contract's other submissions).
 */
export default class TrainingRecordsController {
  async index({ params, view, bouncer }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('viewFor', contract)
    const records = await SubmissionQueries.trainingRecords(contract.id)
    const canSubmit = await bouncer.with(CertificatePolicy).allows('submitFor', contract)
    return view.render('pages/oversight/training_records/index', { contract, records, canSubmit })
  }

  async store({ params, request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const contract = await SubmissionQueries.contract(params.contractId)
    await bouncer.with(CertificatePolicy).authorize('submitFor', contract)
    const input = await request.validateUsing(trainingRecordValidator)
    await new SubmitTrainingRecord(auditLog).handle(
      contract,
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('portal.training.submitted'))
    return response.redirect().toRoute('training_records.index', { contractId: contract.id })
  }
}
