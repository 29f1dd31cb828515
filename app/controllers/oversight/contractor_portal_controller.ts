import type { HttpContext } from '@adonisjs/core/http'
import OversightScope from '#builders/oversight_scope'
import ContractPolicy from '#policies/register/contract_policy'
import RosterPolicy from '#policies/oversight/roster_policy'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmissionQueries from '#services/oversight/submission_queries'

export default class ContractorPortalController {
  /**
   * The contractor user's contracts (as contractor 乙 or subcontractor 丙,
   * and the subcontracts under its contracts) with their duties. Ward users
   * have the register instead.
   */
  async index({ view, auth, response }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    if (!user.isContractorUser) return response.redirect().toRoute('dashboard.show')
    const contracts = await SubmissionQueries.portalContracts(await OversightScope.for(user))
    return view.render('pages/oversight/portal/index', { contracts })
  }

  /** One contract: its duties and what was submitted for them, with the upload links. */
  async show({ params, view, auth, bouncer, response }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    if (!user.isContractorUser)
      return response.redirect().toRoute('contracts.show', { id: params.id })
    const contract = await SubmissionQueries.contract(params.id)
    await bouncer.with(ContractPolicy).authorize('view', contract)
    const { rosters, certificates, reports } = await SubmissionQueries.portalContract(contract)
    return view.render('pages/oversight/portal/show', {
      contract,
      rosters,
      certificates,
      reports,
      canSubmitRoster: await bouncer.with(RosterPolicy).allows('submitFor', contract),
      canSubmitCertificate: await bouncer.with(CertificatePolicy).allows('submitFor', contract),
    })
  }
}
