import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import Contractor from '#models/contractor'
import ContractorPolicy from '#policies/register/contractor_policy'
import SaveContractor from '#actions/register/save_contractor'
import Clock from '#services/clock'
import ContractorQueries, { type ContractorFilters } from '#services/register/contractor_queries'
import {
  createContractorValidator,
  updateContractorValidator,
} from '#validators/register/contractor'

export default class ContractorsController {
  /**
   * Contractors, searchable by name or corporate number and filterable to
   * Privacy Marks that expired or expire within 90 days. A contractor user
   * is taken to its own contractor instead.
   */
  @inject()
  async index({ request, response, view, bouncer, auth }: HttpContext, clock: Clock) {
    const user = auth.use('web').getUserOrFail()
    if (user.isContractorUser && user.contractorId !== null) {
      return response.redirect().toRoute('contractors.show', { id: user.contractorId })
    }
    await bouncer.with(ContractorPolicy).authorize('viewAny')
    const today = clock.now()
    const filters: ContractorFilters = {
      q: String(request.input('q') ?? '').trim(),
      flagged: request.input('flagged') === '1' ? '1' : '',
    }
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const contractors = await ContractorQueries.list(filters, page, today)
    return view.render('pages/register/contractors/index', { contractors, filters, today })
  }

  /** A contractor with its users; a contractor user is refused any other contractor (403). */
  @inject()
  async show({ params, view, bouncer, auditLog }: HttpContext, clock: Clock) {
    const contractor = await Contractor.findOrFail(params.id)
    await bouncer.with(ContractorPolicy).authorize('view', contractor)
    const users = await ContractorQueries.users(contractor)
    await auditLog.record({ action: 'contractor.view', subject: contractor })
    return view.render('pages/register/contractors/show', { contractor, users, today: clock.now() })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    return view.render('pages/register/contractors/form', { contractor: null })
  }

  async store({ request, response, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const payload = await request.validateUsing(createContractorValidator)
    const contractor = await new SaveContractor(auditLog).handle(new Contractor(), payload)
    session.flash('success', i18n.t('contractors.saved'))
    return response.redirect().toRoute('contractors.show', { id: contractor.id })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const contractor = await Contractor.findOrFail(params.id)
    return view.render('pages/register/contractors/form', { contractor })
  }

  async update({ params, request, response, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const contractor = await Contractor.findOrFail(params.id)
    const payload = await request.validateUsing(updateContractorValidator, {
      meta: { contractorId: contractor.id },
    })
    await new SaveContractor(auditLog).handle(contractor, payload)
    session.flash('success', i18n.t('contractors.saved'))
    return response.redirect().toRoute('contractors.show', { id: contractor.id })
  }
}
