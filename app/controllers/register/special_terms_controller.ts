import type { HttpContext } from '@adonisjs/core/http'
import SpecialTermSet from '#models/special_term_set'
import DomainError from '#exceptions/domain_error'
import SpecialTermPolicy from '#policies/register/special_term_policy'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import CreateSpecialTermSet from '#actions/register/create_special_term_set'
import {
  specialTermSetValidator,
  specialTermTextValidator,
} from '#validators/register/special_terms'
import { parse } from '#services/register/special_terms_text'
import SpecialTermQueries from '#services/register/special_term_queries'
import { FormMessagesProvider } from '#validators/form_messages'
import {
  clauseRowsFrom,
  clauseRowsFromInput,
  formState,
  previewRows,
  validationData,
  type ClauseRow,
  type FormState,
} from '#services/register/special_terms_form'

export default class SpecialTermsController {
  /** Every set and version, with how many contracts use each. */
  async index({ view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('viewAny')
    return view.render('pages/register/special_terms/index', await SpecialTermQueries.library())
  }

  async show({ params, view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('viewAny')
    return view.render('pages/register/special_terms/show', {
      set: await SpecialTermQueries.withClauses(params.id),
    })
  }

  /** Form for a new set, empty (or as typed, after a refused save). */
  async create({ view, bouncer, session }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('manage')
    return view.render('pages/register/special_terms/form', {
      base: null,
      ...this.#state(session, { fields: {}, rows: [] }),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(SpecialTermPolicy).authorize('manage')
    return this.#save(ctx, null)
  }

  /** Form for the next version of a set, prefilled with its clauses. */
  async createVersion({ params, view, bouncer, session }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('manage')
    const base = await SpecialTermQueries.withClauses(params.id)
    return view.render('pages/register/special_terms/form', {
      base,
      ...this.#state(session, {
        fields: { name: base.name, appliesTo: base.appliesTo },
        rows: clauseRowsFrom(base.clauses),
      }),
    })
  }

  async storeVersion(ctx: HttpContext) {
    await ctx.bouncer.with(SpecialTermPolicy).authorize('manage')
    const base = await SpecialTermSet.findOrFail(ctx.params.id)
    return this.#save(ctx, base)
  }

  /**
   * The pasted text split into clauses, shown in the same form to check and correct before
   * saving. Nothing is saved.
   */
  async preview({ params, request, view, bouncer }: HttpContext) {
    await bouncer.with(SpecialTermPolicy).authorize('manage')
    const base = params.id ? await SpecialTermSet.findOrFail(params.id) : null
    const { text } = await request.validateUsing(specialTermTextValidator)
    const parsed = parse(text)
    if (parsed.clauses.length === 0)
      throw new DomainError('register.terms.errors.nothing_parsed', { field: 'text' })
    // Duties are not in the text: keep those of the clauses in the form with the same heading;
    // the subcontracting rule and the training flag are suggested from the text where obvious.
    const current = clauseRowsFromInput(request.input('clauses'), true)
    const rows: ClauseRow[] = previewRows(parsed.clauses, current.ok ? current.rows : [])
    return view.render('pages/register/special_terms/form', {
      base,
      ...formState({
        old: null,
        errors: undefined,
        fields: request.only(['name', 'appliesTo', 'effectiveFrom', 'notes', 'text']),
        rows,
        preview: {
          clauses: parsed.clauses.length,
          skipped: parsed.skipped,
          withoutBody: parsed.clauses.flatMap((clause, index) =>
            clause.body.trim() ? [] : [index + 1]
          ),
        },
      }),
    })
  }

  /**
   * Saves the form as a new set (no base) or as the next version of `base`: one version per
   * save, whatever the number of clauses added, removed or moved.
   */
  async #save(
    { request, response, session, i18n, auditLog }: HttpContext,
    base: SpecialTermSet | null
  ) {
    const rows = clauseRowsFromInput(request.input('clauses'))
    if (!rows.ok)
      throw new DomainError(`register.terms.errors.${rows.reason}`, { field: 'clauses' })
    const input = await request.validateUsing(specialTermSetValidator, {
      data: {
        ...request.only(['name', 'appliesTo', 'effectiveFrom', 'notes', 'renumber']),
        clauses: rows.rows.map(validationData),
      },
      // A new set's form calls its notes 備考 (a new version's: 改正内容).
      messagesProvider: new FormMessagesProvider(
        i18n,
        base ? {} : { notes: 'register.terms.notes_new' }
      ),
    })
    const set = base
      ? await new CreateSpecialTermVersion(auditLog).handle(base.code, input)
      : await new CreateSpecialTermSet(auditLog).handle(input)
    session.flash(
      'success',
      i18n.t(base ? 'register.terms.saved' : 'register.terms.created', {
        version: set.version,
        name: set.name,
      })
    )
    return response.redirect().toRoute('special_terms.show', { id: set.id })
  }

  #state(
    session: HttpContext['session'],
    given: { fields: Partial<FormState['fields']>; rows: ClauseRow[] }
  ): FormState {
    // Flashed input sits at the top of the flash messages (old('name')), next to errors.
    const flashed = session.flashMessages.all()
    const typed = ['name', 'appliesTo', 'clauses', 'text'].some((key) => key in flashed)
    return formState({
      old: typed ? flashed : null,
      errors: session.flashMessages.get('errors'),
      ...given,
    })
  }
}
