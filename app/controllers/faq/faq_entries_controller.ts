import type { HttpContext } from '@adonisjs/core/http'
import { filledQueryString } from '#validators/query_string'
import Department from '#models/department'
import FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import Topic from '#models/topic'
import FaqPolicy from '#policies/faq/faq_policy'
import SaveFaqEntry from '#actions/faq/save_faq_entry'
import RequestFaqApproval from '#actions/faq/request_faq_approval'
import ApproveFaqChange from '#actions/faq/approve_faq_change'
import ReturnFaqChange from '#actions/faq/return_faq_change'
import WithdrawFaqEntry from '#actions/faq/withdraw_faq_entry'
import FaqCsv from '#services/faq/faq_csv'
import FaqDiff, { type FaqComparable } from '#services/faq/faq_diff'
import FaqLinks from '#services/faq/faq_links'
import FaqSearch from '#services/faq/faq_search'
import SeparationOfDuties from '#services/separation_of_duties'
import sendCsv from '#services/csv/csv_download'
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
    const filters = await faqSearchValidator.validate(filledQueryString(request.qs()))
    const visible = await user.visibleDepartmentIds()
    const query = FaqEntry.query()
      .if(visible !== null, (q) => q.whereIn('department_id', visible!))
      .if(filters.status, (q) => q.where('status', filters.status!))
      .if(filters.topicId, (q) => q.where('topic_id', filters.topicId!))
    if (filters.q) {
      const result = await FaqSearch.forStaff(user, filters.q, { topicId: filters.topicId, limit: 300 })
      query.whereIn('id', result.entries.map((entry) => entry.id).concat(0))
    }
    const entries = await query
      .preload('topic')
      .preload('department')
      .orderByRaw("CASE WHEN status = 'awaiting_approval' THEN 0 ELSE 1 END")
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .paginate(Number(request.input('page', 1)) || 1, 50)
    entries.baseUrl('/faq-entries').queryString(filters)
    const topics = await Topic.ordered()
    return view.render('pages/faq/entries/index', { entries, filters, topics })
  }

  async create({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('create')
    const user = auth.use('web').getUserOrFail()
    return view.render('pages/faq/entries/form', { entry: null, ...(await this.#formOptions(user.departmentId)) })
  }

  async store({ request, response, auth, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('create')
    const input = await request.validateUsing(faqEntryValidator)
    if (await bouncer.with(FaqPolicy).denies('createFor', input.departmentId)) {
      return this.#back({ response, session, i18n }, 'departmentId', 'faq.errors.department')
    }
    const result = await new SaveFaqEntry().handle(new FaqEntry(), input, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message, result.values)
    session.flash('success', i18n.t('faq.flash.saved'))
    return response.redirect().toRoute('faq_entries.show', { id: result.entry.id })
  }

  /**
   * The entry for its editors and reviewers: the published version, the
   * working copy or the change awaiting approval, and what differs between
   * them. Operators and contractor users see the published version only.
   */
  async show({ params, view, bouncer }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('view', entry)
    const editor = await bouncer.with(FaqPolicy).allows('viewHistory', entry)
    const pending = await FaqVersion.pendingFor(entry.id)
    const lastReturned = editor && entry.status === 'draft'
      ? await FaqVersion.query().where('faqEntryId', entry.id).preload('decidedBy').orderBy('version', 'desc').first()
      : null
    const topics = await Topic.ordered()
    const difference = editor && entry.publishedVersion ? this.#diff(entry.publishedVersion, pending ?? entry, topics) : null
    return view.render('pages/faq/entries/show', {
      entry,
      published: entry.publishedVersion,
      pending,
      returned: lastReturned?.state === 'returned' ? lastReturned : null,
      difference,
      editor,
      canDecide: await bouncer.with(FaqPolicy).allows('decide', entry, pending),
      seesNotes: await bouncer.with(FaqPolicy).allows('seeInternalNotes'),
    })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('update', entry)
    return view.render('pages/faq/entries/form', { entry, links: FaqLinks.format(entry.relatedLinks), ...(await this.#formOptions(entry.departmentId)) })
  }

  async update({ params, request, response, auth, bouncer, session, i18n }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('update', entry)
    const input = await request.validateUsing(faqEntryValidator)
    if (input.departmentId !== entry.departmentId && (await bouncer.with(FaqPolicy).denies('createFor', input.departmentId))) {
      return this.#back({ response, session, i18n }, 'departmentId', 'faq.errors.department')
    }
    const result = await new SaveFaqEntry().handle(entry, input, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message, result.values)
    session.flash('success', i18n.t(result.changed ? 'faq.flash.saved' : 'faq.flash.unchanged'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 承認依頼 */
  async requestApproval({ params, response, auth, bouncer, session, i18n }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('requestApproval', entry)
    const result = await new RequestFaqApproval().handle(entry, auth.use('web').getUserOrFail())
    if (!result.ok) session.flash('error', i18n.t(result.message))
    else session.flash('success', i18n.t('faq.flash.requested'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 承認: the change is published. */
  async approve({ params, request, response, auth, bouncer, session, i18n }: HttpContext) {
    const { entry, pending } = await this.#pending(params.id)
    // Separation of duties first: the author is told why, not just "no permission".
    if (pending) SeparationOfDuties.refuseOwnWork(auth.use('web').getUserOrFail(), SeparationOfDuties.faqChange(entry, pending))
    await bouncer.with(FaqPolicy).authorize('decide', entry, pending)
    const { comment } = await request.validateUsing(faqApprovalValidator)
    await new ApproveFaqChange().handle(entry, pending!, auth.use('web').getUserOrFail(), comment ?? null)
    session.flash('success', i18n.t('faq.flash.approved'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 差戻し: back to the author with a comment. */
  async sendBack({ params, request, response, auth, bouncer, session, i18n }: HttpContext) {
    const { entry, pending } = await this.#pending(params.id)
    // Separation of duties first: the author is told why, not just "no permission".
    if (pending) SeparationOfDuties.refuseOwnWork(auth.use('web').getUserOrFail(), SeparationOfDuties.faqChange(entry, pending))
    await bouncer.with(FaqPolicy).authorize('decide', entry, pending)
    const { comment } = await request.validateUsing(faqReturnValidator)
    await new ReturnFaqChange().handle(entry, pending!, auth.use('web').getUserOrFail(), comment)
    session.flash('success', i18n.t('faq.flash.returned'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** 公開停止 */
  async withdraw({ params, response, bouncer, session, i18n }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('withdraw', entry)
    await new WithdrawFaqEntry().handle(entry)
    session.flash('success', i18n.t('faq.flash.withdrawn'))
    return response.redirect().toRoute('faq_entries.show', { id: entry.id })
  }

  /** Every version, and the difference between any two (default: the last two). */
  async history({ params, request, view, bouncer }: HttpContext) {
    const entry = await this.#load(params.id)
    await bouncer.with(FaqPolicy).authorize('viewHistory', entry)
    const versions = await FaqVersion.query().where('faqEntryId', entry.id).preload('requestedBy').preload('decidedBy').orderBy('version', 'desc')
    const input = await faqHistoryValidator.validate(filledQueryString(request.qs()))
    const to = input.to ?? versions[0]?.version
    const from = input.from ?? versions[1]?.version
    const before = versions.find((version) => version.version === from)
    const after = versions.find((version) => version.version === to)
    const topics = await Topic.ordered()
    const difference = before && after ? this.#diff(before, after, topics) : null
    return view.render('pages/faq/entries/history', { entry, versions, from, to, difference })
  }

  /** CSV of the entries the user manages (UTF-8 with BOM, or ?encoding=cp932). */
  async export(ctx: HttpContext) {
    await ctx.bouncer.with(FaqPolicy).authorize('export')
    const visible = await ctx.auth.use('web').getUserOrFail().visibleDepartmentIds()
    const rows = []
    for await (const row of FaqCsv.rows((query) => {
      if (visible !== null) query.whereIn('department_id', visible)
    })) {
      rows.push(row)
    }
    return sendCsv(ctx, 'faq', FaqCsv.columns, rows)
  }

  #diff(before: FaqComparable, after: FaqComparable, topics: Topic[]) {
    const names = new Map(topics.map((topic) => [topic.id, topic.name]))
    return FaqDiff.between(before, after, {
      topicName: (id) => (id === null ? '' : (names.get(id) ?? '')),
      yes: '対象にする',
      no: '対象にしない',
    })
  }

  async #load(id: number) {
    return FaqEntry.query()
      .where('id', id)
      .preload('topic')
      .preload('department')
      .preload('updatedBy')
      .preload('publishedVersion', (version) => version.preload('topic').preload('decidedBy'))
      .firstOrFail()
  }

  async #pending(id: number) {
    const entry = await this.#load(id)
    // Null when nothing awaits a decision (already decided, or never asked): the policy then says no.
    const pending = await FaqVersion.pendingFor(entry.id)
    return { entry, pending }
  }

  async #formOptions(departmentId: number | null) {
    const topics = await Topic.ordered()
    const departments = await Department.asTree()
    return { topics, departments, defaultDepartmentId: departmentId }
  }

  #back(ctx: Pick<HttpContext, 'response' | 'session' | 'i18n'>, field: string, message: string, values?: Record<string, string>) {
    ctx.session.flashAll()
    ctx.session.flash('errors', { [field]: [ctx.i18n.t(message, values)] })
    return ctx.response.redirect().back()
  }
}
