import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Contractor from '#models/contractor'
import User from '#models/user'
import ContractorPolicy from '#policies/register/contractor_policy'
import SaveContractor from '#actions/register/save_contractor'
import AuditLogger from '#services/audit_logger'
import { createContractorValidator, updateContractorValidator } from '#validators/register/contractor'

export default class ContractorsController {
  /**
   * Contractors, searchable by name or corporate number and filterable to
   * Privacy Marks that expired or expire within 90 days. A contractor user
   * is taken to its own contractor instead.
   */
  async index({ request, response, view, bouncer, auth }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    if (user.isContractorUser && user.contractorId !== null) {
      return response.redirect().toRoute('contractors.show', { id: user.contractorId })
    }
    await bouncer.with(ContractorPolicy).authorize('viewAny')
    const today = DateTime.now()
    const filters = {
      q: String(request.input('q') ?? '').trim(),
      flagged: request.input('flagged') === '1' ? '1' : '',
    }
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const contractors = await Contractor.query()
      .if(filters.q, (query) => query.withScopes((scopes) => scopes.search(filters.q)))
      .if(filters.flagged, (query) => query.withScopes((scopes) => scopes.privacyMarkFlagged(today)))
      .orderByRaw('coalesce(name_kana, name)')
      .orderBy('id')
      .paginate(page, 50)
    contractors.baseUrl('/contractors').queryString(filters)
    return view.render('pages/register/contractors/index', { contractors, filters, today })
  }

  /** A contractor with its users; a contractor user is refused any other contractor (403). */
  async show({ params, view, bouncer }: HttpContext) {
    const contractor = await Contractor.findOrFail(params.id)
    await bouncer.with(ContractorPolicy).authorize('view', contractor)
    const users = await User.query().where('contractorId', contractor.id).orderBy('fullName').orderBy('id')
    await AuditLogger.record({ action: 'contractor.view', subject: contractor })
    return view.render('pages/register/contractors/show', { contractor, users, today: DateTime.now() })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    return view.render('pages/register/contractors/form', { contractor: null })
  }

  async store({ request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const payload = await request.validateUsing(createContractorValidator)
    const result = await new SaveContractor().handle(new Contractor(), payload)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('contractors.saved'))
    return response.redirect().toRoute('contractors.show', { id: result.contractor.id })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const contractor = await Contractor.findOrFail(params.id)
    return view.render('pages/register/contractors/form', { contractor })
  }

  async update({ params, request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(ContractorPolicy).authorize('manage')
    const contractor = await Contractor.findOrFail(params.id)
    const payload = await request.validateUsing(updateContractorValidator, { meta: { contractorId: contractor.id } })
    const result = await new SaveContractor().handle(contractor, payload)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('contractors.saved'))
    return response.redirect().toRoute('contractors.show', { id: contractor.id })
  }
}
