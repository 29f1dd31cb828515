import type { HttpContext } from '@adonisjs/core/http'
import { filledQueryString } from '#validators/query_string'
import { DateTime } from 'luxon'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import Topic from '#models/topic'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import RecordIntake from '#actions/opinions/record_intake'
import AuditLogger from '#services/audit_logger'
import BigramSearch from '#services/search/bigram_search'
import OpinionListQuery from '#services/opinions/opinion_list_query'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { OPINION_PERSONAL_FIELDS, type OpinionEventKind } from '#enums/opinion'
import { historySearchValidator, opinionSearchValidator, staffIntakeValidator } from '#validators/opinions/opinion'

const PERSONAL_FILTERS = ['name', 'phone', 'email'] as const

/** History entries written by people (system steps such as 受付 or 回答を送付 are not corrected). */
const CORRECTABLE_KINDS: readonly OpinionEventKind[] = ['handled', 'note', 'forwarded', 'correction']

export default class OpinionsController {
  /** The staff list: scoped, filtered, newest first, 50 per page, due state on every row. */
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const filters = await opinionSearchValidator.validate(filledQueryString(request.qs()))
    const searchedPersonal = PERSONAL_FILTERS.filter((field) => filters[field])
    if (searchedPersonal.length > 0) {
      await AuditLogger.record({ action: 'opinion.search_personal_data', subject: null, changedFields: [...searchedPersonal] })
    }
    const result = await OpinionListQuery.page(user, filters)
    const today = DateTime.now().setZone(WARD_ZONE)
    return view.render('pages/opinions/index', {
      result,
      filters,
      today,
      nearDueFrom: OpinionSchedule.nearDueThreshold(today),
      topics: await Topic.ordered(),
      departments: await this.#forwardableDepartments(),
      canIntake: await bouncer.with(OpinionPolicy).allows('intake'),
      query: (changes: Record<string, unknown>) => this.#queryString({ ...filters, ...changes }),
    })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('intake')
    return view.render('pages/opinions/create', {
      topics: await Topic.ordered(),
      departments: await this.#forwardableDepartments(),
      values: { receivedAt: WardCalendar.toWallClock(DateTime.now()) },
    })
  }

  async store({ request, response, bouncer, auth, session, i18n }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('intake')
    const input = await request.validateUsing(staffIntakeValidator)
    const result = await new RecordIntake().handle(input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('opinions.saved', { ref: result.opinion.referenceNo }))
    return response.redirect().toRoute('opinions.show', { id: result.opinion.id })
  }

  /** One opinion with its submitter (reading personal data is audited), departments, history and reply. */
  async show({ params, view, bouncer }: HttpContext) {
    const opinion = await Opinion.query()
      .where('id', params.id)
      .preload('topic')
      .preload('leadDepartment')
      .preload('assignments', (assignments) => assignments.preload('department').orderBy('id'))
      .preload('events', (events) => events.preload('user').preload('department').orderBy('occurredAt').orderBy('id'))
      .preload('replies', (replies) => replies.preload('draftedBy').preload('approvedBy').orderBy('id'))
      .firstOrFail()
    await bouncer.with(OpinionPolicy).authorize('view', opinion)
    if (opinion.hasPersonalData) {
      await AuditLogger.record({ action: 'opinion.view_personal_data', subject: opinion, changedFields: this.#personalFields(opinion) })
    }
    const policy = bouncer.with(OpinionPolicy)
    // The reply in progress: the newest one not yet sent (as SaveReplyDraft.activeReply).
    const activeReply = opinion.replies.filter((reply) => reply.status !== 'sent').at(-1) ?? null
    const handleable = []
    for (const assignment of opinion.assignments) {
      if (await policy.allows('handle', opinion, assignment.departmentId)) handleable.push(assignment.department)
    }
    const correctable = new Set<number>()
    for (const event of opinion.events) {
      if (CORRECTABLE_KINDS.includes(event.kind) && (await policy.allows('correct', opinion, event))) correctable.add(event.id)
    }
    const today = DateTime.now().setZone(WARD_ZONE)
    return view.render('pages/opinions/show', {
      opinion,
      activeReply,
      sentReplies: opinion.replies.filter((reply) => reply.status === 'sent'),
      handleable,
      correctable,
      correctedIds: new Set(opinion.events.filter((event) => event.correctsEventId).map((event) => event.correctsEventId)),
      departments: await this.#forwardableDepartments(),
      dueState: opinion.dueStateOn(today, OpinionSchedule.nearDueThreshold(today)),
      openDaysLeft: opinion.dueOn ? WardCalendar.openDaysBetween(today, opinion.dueOn) : null,
      nowClock: WardCalendar.toWallClock(DateTime.now()),
      can: {
        forward: await policy.allows('forward', opinion),
        note: await policy.allows('addNote', opinion),
        draft: await policy.allows('draftReply', opinion),
        approve: activeReply ? await policy.allows('approveReply', activeReply) : false,
        send: activeReply ? await policy.allows('sendReply', activeReply) : false,
        close: await policy.allows('close', opinion),
      },
    })
  }

  /** 処理履歴の検索: history entries of the opinions the user may see. */
  async history({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const filters = await historySearchValidator.validate(filledQueryString(request.qs()))
    const visible = await OpinionListQuery.visibleDepartmentIds(user)
    const events = await OpinionEvent.query()
      .if(visible !== null, (query) =>
        query.whereIn('opinionId', (sub) => sub.from('opinion_departments').select('opinion_id').whereIn('department_id', visible!))
      )
      .if(filters.q, (query) => query.whereRaw(`body LIKE ? ESCAPE '\\'`, [BigramSearch.likePattern(filters.q!)]))
      .if(filters.kind, (query) => query.where('kind', filters.kind!))
      .if(filters.departmentId, (query) => query.where('departmentId', filters.departmentId!))
      .preload('opinion')
      .preload('user')
      .preload('department')
      .orderBy('id', 'desc')
      .paginate(filters.page ?? 1, 50)
    events.baseUrl('/opinions/history').queryString(filters)
    return view.render('pages/opinions/history', { events, filters, departments: await this.#forwardableDepartments() })
  }

  #personalFields(opinion: Opinion) {
    return OPINION_PERSONAL_FIELDS.filter((field) => opinion[field])
  }

  /** 課 and 係 in organisation order (a 部 as a whole does not handle opinions). */
  #forwardableDepartments() {
    return Department.query().whereNot('level', 'bu').orderBy('sortOrder').orderBy('id')
  }

  #queryString(values: Record<string, unknown>) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
    }
    return params.toString()
  }
}
