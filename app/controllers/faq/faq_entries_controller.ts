import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import FaqScope from '#builders/faq_scope'
import DomainError from '#exceptions/domain_error'
import FaqEntry from '#models/faq_entry'
import Topic from '#models/topic'
import DepartmentDirectory from '#services/department_directory'
import type User from '#models/user'
import FaqPolicy from '#policies/faq/faq_policy'
import SaveFaqEntry from '#actions/faq/save_faq_entry'
import RequestFaqApproval from '#actions/faq/request_faq_approval'
import ApproveFaqChange from '#actions/faq/approve_faq_change'
import ReturnFaqChange from '#actions/faq/return_faq_change'
import WithdrawFaqEntry from '#actions/faq/withdraw_faq_entry'
import FaqCsv from '#services/faq/faq_csv'
import FaqLinks from '#services/faq/faq_links'
import FaqQueries from '#services/faq/faq_queries'
import SeparationOfDuties from '#services/separation_of_duties'
import sendCsv from '#services/csv/csv_download'
import { filledQueryString } from '#validators/query_string'
import {
  faqApprovalValidator,
  faqEntryValidator,
  faqHistoryValidator,
  faqReturnValidator,
  faqSearchValidator,
} from '#validators/faq/faq'

/**
 * Staff management of FAQ entries: drafting, the approval request, the
 * supervisor's decision, withdrawal, versions and their differences, CSV.
 */
export default class FaqEntriesController {
  /** Entries of the user's departments (all for the privacy office), filterable by status and text. */
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const scope = await FaqScope.for(user)
    const filters = await request.validateUsing(faqSearchValidator, {
      data: filledQueryString(request.qs()),
    })
    const topics = await Topic.ordered()
    const entries = await FaqQueries.managedList(
      scope,
      filters,
      Number(request.input('page', 1)) || 1,
      topics
    )
    const directory = await DepartmentDirectory.load(user)
    return view.render('pages/faq/entries/index', {
      entries,
      filters,
      topics,
      departmentName: (id: number) => directory.find(id)?.name ?? '',
    })
  }

  async create({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('create')
    const user = auth.use('web').getUserOrFail()
    return view.render('pages/faq/entries/form', {
      entry: null,
      ...(await FaqQueries.formOptions(user.departmentId, user)),
    })
  }

  @inject()
  async store(
    { request, response, auth, bouncer, session, i18n }: HttpContext,
    save: SaveFaqEntry
  ) {
    await bouncer.with(FaqPolicy).authorize('create')
    const input = await request.validateUsing(faqEntryValidator)
    if (await bouncer.with(FaqPolicy).denies('createFor', input.departmentId)) {
      throw new DomainError('faq.errors.department', { field: 'departmentId' })
    }
    const { entry } = await save.handle(new FaqEntry(), input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('faq.flash.saved'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /**
   * The entry for its editors and reviewers: the published version, the
   * working copy or the change awaiting approval, and what differs between
   * them. Operators and contractor users see the published version only.
   */
  async show({ params, view, bouncer, i18n }: HttpContext) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('view', entry)
    const editor = await bouncer.with(FaqPolicy).allows('viewHistory', entry)
    const pending = await FaqQueries.pending(entry)
    const returned =
      editor && entry.status === 'draft' ? await FaqQueries.lastReturned(entry) : null
    const difference =
      editor && entry.publishedVersion
        ? await FaqQueries.difference(entry.publishedVersion, pending ?? entry, i18n)
        : null
    return view.render('pages/faq/entries/show', {
      entry,
      published: entry.publishedVersion,
      pending,
      returned,
      difference,
      editor,
      canDecide: await bouncer.with(FaqPolicy).allows('decide', entry, pending),
      seesNotes: await bouncer.with(FaqPolicy).allows('seeInternalNotes'),
    })
  }

  async edit({ params, view, auth, bouncer }: HttpContext) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('update', entry)
    const options = await FaqQueries.formOptions(
      entry.departmentId,
      auth.use('web').getUserOrFail()
    )
    return view.render('pages/faq/entries/form', {
      entry,
      links: FaqLinks.format(entry.relatedLinks),
      ...options,
    })
  }

  @inject()
  async update(
    { params, request, response, auth, bouncer, session, i18n }: HttpContext,
    save: SaveFaqEntry
  ) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('update', entry)
    const input = await request.validateUsing(faqEntryValidator)
    const movesAway = input.departmentId !== entry.departmentId
    if (movesAway && (await bouncer.with(FaqPolicy).denies('createFor', input.departmentId))) {
      throw new DomainError('faq.errors.department', { field: 'departmentId' })
    }
    const result = await save.handle(entry, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t(result.changed ? 'faq.flash.saved' : 'faq.flash.unchanged'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 承認依頼 */
  @inject()
  async requestApproval(
    { params, response, auth, bouncer, session, i18n }: HttpContext,
    action: RequestFaqApproval
  ) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('requestApproval', entry)
    await action.handle(entry, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('faq.flash.requested'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 承認: the change is published. */
  @inject()
  async approve(
    { params, request, response, auth, bouncer, session, i18n }: HttpContext,
    approve: ApproveFaqChange
  ) {
    const { entry, pending } = await this.#decidable(params.id, auth.use('web').getUserOrFail())
    await bouncer.with(FaqPolicy).authorize('decide', entry, pending)
    const { comment } = await request.validateUsing(faqApprovalValidator)
    await approve.handle(entry, pending!, auth.use('web').getUserOrFail(), comment ?? null)
    session.flash('success', i18n.t('faq.flash.approved'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 差戻し: back to the author with a comment. */
  @inject()
  async sendBack(
    { params, request, response, auth, bouncer, session, i18n }: HttpContext,
    sendBack: ReturnFaqChange
  ) {
    const { entry, pending } = await this.#decidable(params.id, auth.use('web').getUserOrFail())
    await bouncer.with(FaqPolicy).authorize('decide', entry, pending)
    const { comment } = await request.validateUsing(faqReturnValidator)
    await sendBack.handle(entry, pending!, auth.use('web').getUserOrFail(), comment)
    session.flash('success', i18n.t('faq.flash.returned'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 公開停止 */
  async withdraw({ params, response, bouncer, session, i18n, auditLog }: HttpContext) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('withdraw', entry)
    await new WithdrawFaqEntry(auditLog).handle(entry)
    session.flash('success', i18n.t('faq.flash.withdrawn'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** Every version, and the difference between any two (default: the last two). */
  async history({ params, request, view, bouncer, i18n }: HttpContext) {
    const entry = await FaqQueries.entry(params.id)
    await bouncer.with(FaqPolicy).authorize('viewHistory', entry)
    const input = await request.validateUsing(faqHistoryValidator, {
      data: filledQueryString(request.qs()),
    })
    const compared = await FaqQueries.history(entry, input, i18n)
    return view.render('pages/faq/entries/history', { entry, ...compared })
  }

  /** CSV of the entries the user manages (UTF-8 with BOM, or ?encoding=cp932). */
  async export(ctx: HttpContext) {
    await ctx.bouncer.with(FaqPolicy).authorize('export')
    const scope = await FaqScope.for(ctx.auth.use('web').getUserOrFail())
    return sendCsv(ctx, 'faq', FaqCsv.columns, await FaqCsv.all(scope))
  }

  /**
   * The entry and the change awaiting a decision (null when none: the
   * policy then says no). Separation of duties is checked first, so the
   * author is told why, not just "no permission".
   */
  async #decidable(id: number, user: User) {
    const entry = await FaqQueries.entry(id)
    const pending = await FaqQueries.pending(entry)
    if (pending)
      SeparationOfDuties.refuseOwnWork(user, SeparationOfDuties.faqChange(entry, pending))
    return { entry, pending }
  }
}
