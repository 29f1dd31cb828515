import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import OversightScope from '#builders/oversight_scope'
import ContractPolicy from '#policies/register/contract_policy'
import RosterPolicy from '#policies/oversight/roster_policy'
import CertificatePolicy from '#policies/oversight/certificate_policy'
import SubmissionQueries from '#services/oversight/submission_queries'
import MyWork from '#services/my_work/my_work'

export default class ContractorPortalController {
  /**
   * The contractor user's contracts (as contractor 乙 or subcontractor 丙,
   * and the subcontracts under its contracts) with their duties. Ward users
   * have the register instead. わたしの仕事 (the duties due soon or overdue) comes first.
   */
  @inject()
  async index({ view, auth, response, i18n }: HttpContext, myWork: MyWork) {
    const user = auth.use('web').getUserOrFail()
    if (!user.isContractorUser) return response.redirect().toRoute('dashboard.show')
    const contracts = await SubmissionQueries.portalContracts(await OversightScope.for(user))
    return view.render('pages/oversight/portal/index', {
      contracts,
      myWork: MyWork.present(await myWork.sections(user), i18n),
    })
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
