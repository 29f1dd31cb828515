import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { filledQueryString } from '#validators/query_string'
import type Opinion from '#models/opinion'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import OpinionScope from '#builders/opinion_scope'
import DepartmentScope from '#builders/department_scope'
import RecordIntake from '#actions/opinions/record_intake'
import AssignOpinion from '#actions/opinions/assign_opinion'
import Clock from '#services/clock'
import OpinionListQuery from '#services/opinions/opinion_list_query'
import OpinionQueries from '#services/opinions/opinion_queries'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import CannedTextQueries from '#services/opinions/canned_text_queries'
import DepartmentDirectory from '#services/department_directory'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { OPINION_PERSONAL_FIELDS, type OpinionEventKind } from '#enums/opinion'
import {
  historySearchValidator,
  opinionSearchValidator,
  staffIntakeValidator,
} from '#validators/opinions/opinion'

/** History entries written by people (system steps such as 受付 or 回答を送付 are not corrected). */
const CORRECTABLE_KINDS: readonly OpinionEventKind[] = [
  'handled',
  'note',
  'forwarded',
  'correction',
]

@inject()
export default class OpinionsController {
  constructor(protected clock: Clock) {}

  /** The staff list: scoped, filtered, newest first, 50 per page, due state on every row. */
  async index({ request, view, auth, bouncer, auditLog }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('viewAny')
    const filters = await request.validateUsing(opinionSearchValidator, {
      data: filledQueryString(request.qs()),
    })
    const today = this.clock.now().setZone(WARD_ZONE)
    const user = auth.use('web').getUserOrFail()
    // Independent reads, at once. Every topic is a choice: rows are named from this list.
    const [result, topics, departments] = await Promise.all([
      OpinionListQuery.search(user, filters, auditLog, today),
      OpinionQueries.topicChoices(),
      OpinionQueries.forwardableDepartments(user),
    ])
    return view.render('pages/opinions/index', {
      result,
      filters,
      topics,
      topicNames: new Map(topics.map((topic) => [topic.id, topic.name])),
      departments,
      canIntake: await bouncer.with(OpinionPolicy).allows('intake'),
      query: (changes: Record<string, unknown>) => this.#queryString({ ...filters, ...changes }),
    })
  }

  async create({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('intake')
    return view.render('pages/opinions/create', {
      topics: await OpinionQueries.topicChoices(),
      departments: await OpinionQueries.forwardableDepartments(auth.use('web').getUserOrFail()),
      values: { receivedAt: WardCalendar.toWallClock(this.clock.now()) },
    })
  }

  /** A refusal of the intake (RecordIntake's DomainError) goes back to the form with the input. */
  @inject()
  async store(
    { request, response, bouncer, auth, session, i18n }: HttpContext,
    recordIntake: RecordIntake
  ) {
    await bouncer.with(OpinionPolicy).authorize('intake')
    const input = await request.validateUsing(staffIntakeValidator)
    const opinion = await recordIntake.handle(input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('opinions.saved', { ref: opinion.referenceNo }))
    return response.redirect().toRoute('opinions.show', { id: opinion.id })
  }

  /** One opinion with its submitter (reading personal data is audited), departments, history and reply. */
  async show({ params, view, bouncer, auth, auditLog }: HttpContext) {
    const opinion = await OpinionQueries.forPage(params.id)
    await bouncer.with(OpinionPolicy).authorize('view', opinion)
    // Independent reads, at once.
    const [attachments, directory, topics] = await Promise.all([
      OpinionQueries.attachmentsAndPeople(opinion),
      DepartmentDirectory.load(auth.use('web').getUserOrFail()),
      OpinionQueries.topicChoices(),
    ])
    const personalRead = this.#personalRead(opinion, attachments.length > 0)
    if (personalRead.length > 0) {
      await auditLog.record({
        action: 'opinion.view_personal_data',
        subject: opinion,
        changedFields: personalRead,
      })
    }
    const policy = bouncer.with(OpinionPolicy)
    const removableAttachments = new Set<number>()
    for (const attachment of attachments) {
      if (await policy.allows('removeAttachment', opinion, attachment))
        removableAttachments.add(attachment.id)
    }
    // The reply in progress: the newest one not yet sent (as SaveReplyDraft.activeReply).
    const activeReply = opinion.replies.filter((reply) => reply.status !== 'sent').at(-1) ?? null
    const handleable = []
    for (const assignment of opinion.assignments) {
      if (await policy.allows('handle', opinion, assignment.departmentId))
        handleable.push(directory.find(assignment.departmentId)!)
    }
    // 担当者: who can be named for each department whose handling the user records (none for
    // the opinion office, which records no department's handling: nobody to read).
    const candidates = handleable.length
      ? await AssignOpinion.candidates(handleable.map(({ id }) => id))
      : []
    const assigneeOptions = new Map(
      handleable.map(({ id }) => [id, candidates.filter((user) => user.departmentId === id)])
    )
    const correctable = new Set<number>()
    for (const event of opinion.events) {
      if (
        CORRECTABLE_KINDS.includes(event.kind) &&
        (await policy.allows('correct', opinion, event))
      )
        correctable.add(event.id)
    }
    const today = this.clock.now().setZone(WARD_ZONE)
    return view.render('pages/opinions/show', {
      opinion,
      activeReply,
      sentReplies: opinion.replies.filter((reply) => reply.status === 'sent'),
      handleable,
      assigneeOptions,
      correctable,
      correctedIds: new Set(
        opinion.events
          .filter((event) => event.correctsEventId)
          .map((event) => event.correctsEventId)
      ),
      departments: directory.units(),
      departmentName: (id: number | null) => directory.find(id)?.name ?? null,
      dueState: opinion.dueStateOn(today, OpinionSchedule.nearDueThreshold(today)),
      openDaysLeft: opinion.dueOn ? WardCalendar.openDaysBetween(today, opinion.dueOn) : null,
      nowClock: WardCalendar.toWallClock(this.clock.now()),
      // 定型文 the drafter may insert into the reply
      cannedTexts: (await policy.allows('draftReply', opinion))
        ? await CannedTextQueries.forReply(
            await DepartmentScope.for(auth.use('web').getUserOrFail())
          )
        : [],
      can: {
        forward: await policy.allows('forward', opinion),
        note: await policy.allows('addNote', opinion),
        draft: await policy.allows('draftReply', opinion),
        approve: activeReply ? await policy.allows('approveReply', activeReply) : false,
        send: activeReply ? await policy.allows('sendReply', activeReply) : false,
        close: await policy.allows('close', opinion),
        correctDetails: await policy.allows('correctDetails'),
        attach: await policy.allows('attach', opinion),
      },
      attachments,
      removableAttachments,
      topics,
    })
  }

  /** 処理履歴の検索: history entries of the opinions the user may see. */
  async history({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(OpinionPolicy).authorize('viewAny')
    const filters = await request.validateUsing(historySearchValidator, {
      data: filledQueryString(request.qs()),
    })
    const user = auth.use('web').getUserOrFail()
    const events = await OpinionQueries.history(await OpinionScope.for(user), filters)
    const directory = await DepartmentDirectory.load(user)
    return view.render('pages/opinions/history', {
      events,
      filters,
      departments: await OpinionQueries.forwardableDepartments(user),
      departmentName: (id: number | null) => directory.find(id)?.name ?? '',
    })
  }

  /** What of the submitter's personal data the page shows: contact, corrected contact, attachments. */
  #personalRead(opinion: Opinion, hasAttachments: boolean) {
    return [
      ...OPINION_PERSONAL_FIELDS.filter((field) => opinion[field]),
      ...(opinion.events.some((event) => event.personalChanges) ? ['correctedContact'] : []),
      ...(hasAttachments ? ['attachments'] : []),
    ]
  }

  #queryString(values: Record<string, unknown>) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
    }
    return params.toString()
  }
}
