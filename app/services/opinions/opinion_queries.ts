import Opinion from '#models/opinion'
import User from '#models/user'
import type OpinionEvent from '#models/opinion_event'
import OpinionReply from '#models/opinion_reply'
import type OpinionAttachment from '#models/opinion_attachment'
import Topic from '#models/topic'
import type OpinionScope from '#builders/opinion_scope'
import BigramSearch from '#services/search/bigram_search'
import DepartmentDirectory from '#services/department_directory'
import type { OpinionEventKind } from '#enums/opinion'

/**
 * A department or topic offered in a form (id and name only): plain rows, as a
 * model instance costs some 20 µs to build and every opinion page lists ~40.
 */
export interface Choice {
  id: number
  name: string
}

export interface HistoryFilters {
  q?: string
  kind?: OpinionEventKind
  departmentId?: number
  page?: number
}

/** The count of received opinions read for a request's account, kept as long as that account instance. */
const receivedCounts = new WeakMap<object, Promise<number>>()

/**
 * The reads behind the opinion pages: one opinion with what its page
 * shows, the reply or history entry a step acts on, the history search
 * and the choices of the forms. Lookups of one record are not scoped:
 * OpinionPolicy decides (403), as the pages always did; lists take the
 * user's OpinionScope.
 */
export default class OpinionQueries {
  static find(id: number | string): Promise<Opinion> {
    return Opinion.findOrFail(id)
  }

  /**
   * How many opinions are received and not forwarded yet (受付). The opinion office's start
   * page shows it twice (わたしの仕事's 受付済・未転送 and the opinion panel's 新着): it is
   * read once for the request's account, as DepartmentDirectory keeps the organisation.
   */
  static receivedCount(account: object): Promise<number> {
    let count = receivedCounts.get(account)
    if (!count) {
      count = Opinion.query()
        .where('status', 'received')
        .count('* as total')
        .pojo<{ total: number | string }>()
        .then(([row]) => Number(row?.total ?? 0))
      receivedCounts.set(account, count)
    }
    return count
  }

  /**
   * One opinion with its departments, history (oldest first) and replies. The page names the
   * departments from DepartmentDirectory, the topic from its choices and the people from
   * attachmentsAndPeople.
   */
  static forPage(id: number | string): Promise<Opinion> {
    return Opinion.query()
      .where('id', id)
      .preload('assignments', (assignments) => assignments.orderBy('id'))
      .preload('events', (events) => events.orderBy('occurredAt').orderBy('id'))
      .preload('replies', (replies) => replies.orderBy('id'))
      .firstOrFail()
  }

  /** The opinion and its reply in progress (404 when the reply is not the opinion's or already sent). */
  static async withReplyInProgress(
    id: number | string,
    replyId: number | string
  ): Promise<{ opinion: Opinion; reply: OpinionReply }> {
    const opinion = await Opinion.findOrFail(id)
    const reply = await OpinionReply.query()
      .where('opinionId', opinion.id)
      .where('id', replyId)
      .whereNot('status', 'sent')
      .firstOrFail()
    return { opinion, reply }
  }

  /**
   * The attachments of an opinion read by forPage (oldest first), and the people its page names:
   * each department's 担当者, who wrote each history entry, who attached each file. Their names
   * only, in one read, none when nobody is named: Lucid's preloads read users once for each of
   * the three relations, every column, and even when no row has a key.
   */
  static async attachmentsAndPeople(opinion: Opinion): Promise<OpinionAttachment[]> {
    const attachments = await opinion.related('attachments').query().orderBy('id')
    const ids = new Set(
      [
        ...opinion.assignments.map((assignment) => assignment.assignedUserId),
        ...opinion.events.map((event) => event.userId),
        ...attachments.map((attachment) => attachment.uploadedByUserId),
      ].filter((id): id is number => id !== null)
    )
    const people = ids.size
      ? await User.query()
          .select('id', 'full_name')
          .whereIn('id', [...ids])
      : []
    const person = new Map(people.map((user) => [user.id, user]))
    const personOf = (id: number | null) => (id === null ? null : (person.get(id) ?? null))
    opinion.assignments.forEach((assignment) =>
      assignment.$setRelated('assignee', personOf(assignment.assignedUserId))
    )
    opinion.events.forEach((event) => event.$setRelated('user', personOf(event.userId)))
    attachments.forEach((attachment) =>
      attachment.$setRelated('uploadedBy', personOf(attachment.uploadedByUserId))
    )
    return attachments
  }

  /** One attachment of the opinion (404 when it belongs to another opinion). */
  static attachment(opinion: Opinion, attachmentId: number | string): Promise<OpinionAttachment> {
    return opinion.related('attachments').query().where('id', attachmentId).firstOrFail()
  }

  /** The opinion and one of its history entries (404 when the entry belongs to another opinion). */
  static async withEvent(
    id: number | string,
    eventId: number | string
  ): Promise<{ opinion: Opinion; event: OpinionEvent }> {
    const opinion = await Opinion.findOrFail(id)
    const event = await opinion.related('events').query().where('id', eventId).firstOrFail()
    return { opinion, event }
  }

  /** 処理履歴の検索: history entries of the opinions in scope, newest first, 50 per page. */
  static async history(scope: OpinionScope, filters: HistoryFilters) {
    const events = await scope
      .events()
      .if(filters.q, (query) =>
        query.whereRaw(`body LIKE ? ESCAPE '\\'`, [BigramSearch.likePattern(filters.q!)])
      )
      .if(filters.kind, (query) => query.where('kind', filters.kind!))
      .if(filters.departmentId, (query) => query.where('departmentId', filters.departmentId!))
      // What the rows show: the opinion's number and subject (no submitter field is read and
      // decrypted), who recorded it; their departments are named from the organisation.
      .preload('opinion', (opinion) => opinion.select(...Opinion.HEADLINE_COLUMNS))
      .preload('user', (user) => user.select('id', 'full_name'))
      .orderBy('id', 'desc')
      .paginate(filters.page ?? 1, 50)
    events.baseUrl('/opinions/history').queryString(filters)
    return events
  }

  /** 課 and 係 in organisation order (a 部 as a whole does not handle opinions), as choices. */
  static async forwardableDepartments(account: User): Promise<Choice[]> {
    const directory = await DepartmentDirectory.load(account)
    return directory.units()
  }

  /** The topics in their order, as choices. */
  static topicChoices(): Promise<Choice[]> {
    return Topic.ordered().select('id', 'name').pojo<Choice>()
  }

  /** The fiscal years the statistics offer, newest first: every year with opinions, and the current one. */
  static async fiscalYears(currentFiscalYear: number): Promise<number[]> {
    const range = await Opinion.query()
      .min('fiscal_year as first')
      .max('fiscal_year as last')
      .pojo<{ first: number | null; last: number | null }>()
    const first = Math.min(Number(range[0]?.first ?? currentFiscalYear), currentFiscalYear)
    const last = Math.max(Number(range[0]?.last ?? currentFiscalYear), currentFiscalYear)
    return Array.from({ length: last - first + 1 }, (_, index) => last - index)
  }
}
