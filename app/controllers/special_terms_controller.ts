import type { HttpContext } from '@adonisjs/core/http'
import SpecialTermSet from '#models/special_term_set'
import Contract from '#models/contract'
import SpecialTermPolicy from '#policies/special_term_policy'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { specialTermSetValidator } from '#validators/register'

export default class SpecialTermsController {
  /** Every set and version, with how many contracts use each. */
  async index({ view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('viewAny')
    const sets = await SpecialTermSet.query().withCount('clauses').orderBy('code').orderBy('version', 'desc')
    const usage = await Contract.query().whereNotNull('specialTermSetId').groupBy('specialTermSetId').select('specialTermSetId').count('* as total')
    const contractsUsing = new Map(usage.map((row) => [row.specialTermSetId, Number(row.$extras.total)]))
    return view.render('pages/special_terms/index', { sets, contractsUsing })
  }

  async show({ params, view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('viewAny')
    const set = await SpecialTermSet.query().where('id', params.id).preload('clauses').firstOrFail()
    return view.render('pages/special_terms/show', { set })
  }

  /** Form for the next version of a set, prefilled with its clauses. */
  async create({ params, view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('manage')
    const base = await SpecialTermSet.query().where('id', params.id).preload('clauses').firstOrFail()
    return view.render('pages/special_terms/form', { base })
  }

  async store({ params, request, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('manage')
    const base = await SpecialTermSet.findOrFail(params.id)
    // The form always offers one empty block for a new clause; drop blocks left empty.
    const clauses = (request.input('clauses') ?? []).filter((clause: any) => clause && (clause.heading || clause.body))
    const input = await request.validateUsing(specialTermSetValidator, { data: { ...request.all(), clauses } })
    const set = await new CreateSpecialTermVersion().handle(base.code, input)
    session.flash('success', i18n.t('register.terms.saved', { version: set.version }))
    return response.redirect().toRoute('special_terms.show', { id: set.id })
  }
}
