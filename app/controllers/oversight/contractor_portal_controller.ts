import type { HttpContext } from '@adonisjs/core/http'
import Contract from '#models/contract'
import HandlerRoster from '#models/handler_roster'
import DeletionCertificate from '#models/deletion_certificate'
import PeriodicReport from '#models/periodic_report'
import ContractPolicy from '#policies/register/contract_policy'
import RosterPolicy from '#policies/oversight/roster_policy'
import CertificatePolicy from '#policies/oversight/certificate_policy'

export default class ContractorPortalController {
  /**
   * The contractor user's contracts (as contractor 乙 or subcontractor 丙,
   * and the subcontracts under its contracts) with their duties. Ward users
   * have the register instead.
   */
  async index({ view, auth, response }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    if (!user.isContractorUser) return response.redirect().toRoute('dashboard.show')
    const contractorId = user.contractorId ?? 0
    const contracts = await Contract.query()
      .where((inner) =>
        inner
          .where('contractorId', contractorId)
          .orWhereIn('parentContractId', (sub) => sub.from('contracts').select('id').where('contractor_id', contractorId))
      )
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
      .orderBy('systemId')
      .orderBy('id')
    return view.render('pages/oversight/portal/index', { contracts })
  }

  /** One contract: its duties and what was submitted for them, with the upload links. */
  async show({ params, view, auth, bouncer, response }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    if (!user.isContractorUser) return response.redirect().toRoute('contracts.show', { id: params.id })
    const contract = await Contract.query()
      .where('id', params.id)
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .firstOrFail()
    await bouncer.with(ContractPolicy).authorize('view', contract)
    await contract.load('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
    const [rosters, certificates, reports] = await Promise.all([
      HandlerRoster.query().where('contractId', contract.id).withCount('members').orderBy('version', 'desc'),
      DeletionCertificate.query().where('contractId', contract.id).orderBy('id', 'desc'),
      PeriodicReport.query().where('contractId', contract.id).orderBy('period', 'desc'),
    ])
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
