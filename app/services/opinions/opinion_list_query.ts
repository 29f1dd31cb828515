import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Opinion, { dueStateOf, type DueState } from '#models/opinion'
import type User from '#models/user'
import OpinionScope, { type OpinionQuery } from '#builders/opinion_scope'
import fieldEncryption from '#services/field_encryption'
import OpinionSearch from '#services/opinions/opinion_search'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { WARD_ZONE } from '#services/ward_calendar'
import type AuditLogger from '#services/audit_logger'
import {
  OPEN_OPINION_STATUSES,
  type OpinionChannel,
  type OpinionKind,
  type OpinionStatus,
} from '#enums/opinion'

export interface OpinionFilters {
  /** Full text over subject, body and replies. */
  q?: string
  /** Exact submitter name, phone or email (blind index). */
  name?: string
  phone?: string
  email?: string
  status?: OpinionStatus
  channel?: OpinionChannel
  kind?: OpinionKind
  topicId?: number
  /** Forwarded to this department (or one below it). */
  departmentId?: number
  fiscalYear?: number
  /** open (reply owed), near_due or overdue as of today. */
  due?: 'open' | 'near_due' | 'overdue'
  /** Forwarded to one of the user's departments and not handled there yet (every department's for the opinion office). */
  handling?: 'pending'
  /** Forwarded to the user as the department's person (担当者). */
  assignee?: 'me'
  /** The same for a given user (set from `assignee: 'me'` by `filtered`). */
  assignedUserId?: number
  page?: number
}

/**
 * A row of the staff list, read as plain values (no model is built for a list row): the
 * topic is named by the page from its topic choices, which it reads anyway.
 */
export interface OpinionListRow {
  id: number
  referenceNo: string
  receivedAt: Date
  channel: OpinionChannel
  kind: OpinionKind
  topicId: number | null
  subject: string
  status: OpinionStatus
  leadDepartmentName: string | null
  /** The reply's due date (yyyy-MM-dd, the ward's calendar), or null. */
  dueOn: string | null
  dueState: DueState
}

export interface OpinionPage {
  rows: OpinionListRow[]
  page: number
  perPage: number
  hasMore: boolean
  /** Matching rows, counted up to COUNT_CAP. */
  total: number
  /** True when there are more than COUNT_CAP matches (total shows as "10,000件以上"). */
  capped: boolean
}

/** Filters on the submitter's personal data: searching by them is audited. */
const PERSONAL_FILTERS = ['name', 'phone', 'email'] as const

/** Counting stops here (shown as "1,000件以上"): an exact count over a million rows is not worth a slow page. */
export const COUNT_CAP = 1_000

/**
 * What a row of the list shows (受付番号, dates, due state, channel, topic, lead
 * department): the submitter's encrypted fields and the body are never read there,
 * so they are neither fetched nor decrypted.
 */
const LIST_COLUMNS = [
  'opinions.id',
  'opinions.fiscal_year',
  'opinions.received_at',
  'opinions.channel',
  'opinions.kind',
  'opinions.topic_id',
  'opinions.subject',
  'opinions.status',
  'opinions.due_on',
  'lead_department.name as lead_department_name',
] as const

/** A list row as the driver reads it: PostgreSQL gives Dates, SQLite the text Lucid wrote. */
interface ListRecord {
  id: number
  fiscal_year: number
  received_at: Date | string
  channel: OpinionChannel
  kind: OpinionKind
  topic_id: number | null
  subject: string
  status: OpinionStatus
  due_on: Date | string | null
  lead_department_name: string | null
}

const pad = (value: number) => String(value).padStart(2, '0')

/** A `date` column as yyyy-MM-dd: pg reads it as that day's local midnight, SQLite as text. */
function calendarDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10)
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
}

/** A `timestamp` column as a Date: SQLite's text is the process zone's wall clock (as Lucid reads it). */
function moment(value: Date | string): Date {
  return typeof value === 'string' ? DateTime.fromSQL(value).toJSDate() : value
}

/**
 * The staff list of opinions: scoped to what the user may see, filtered,
 * newest first (by 受付番号), one page at a time with a capped count.
 * Builders are returned wrapped ({ query }) because awaiting a builder runs it.
 * Who sees which opinions is OpinionScope's rule; the filters are this one's.
 */
export default class OpinionListQuery {
  /** The user's scope with the filters applied (lists, statistics and exports share it). */
  static async filtered(
    user: User,
    filters: OpinionFilters,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<{ query: OpinionQuery }> {
    const assignedUserId = filters.assignee === 'me' ? user.id : filters.assignedUserId
    return OpinionListQuery.scoped(
      await OpinionScope.for(user),
      { ...filters, assignedUserId },
      today
    )
  }

  /** The same for a scope already read (OpinionScope.for), for callers that build several queries. */
  static async scoped(
    scope: OpinionScope,
    filters: OpinionFilters,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<{ query: OpinionQuery }> {
    const query = scope.restrict(Opinion.query(), filters.fiscalYear)
    if (filters.departmentId) {
      OpinionScope.restrictToDepartments(
        query,
        await scope.subtreeIds(filters.departmentId),
        filters.fiscalYear
      )
    }
    if (filters.q?.trim()) await OpinionSearch.apply(query, filters.q)
    // Call-center data is indexed with its month's retention key: look under every key that exists.
    if (filters.name?.trim())
      query.whereIn('name_index', fieldEncryption.indexesOf('name', filters.name))
    if (filters.phone?.trim())
      query.whereIn('phone_index', fieldEncryption.indexesOf('phone', filters.phone))
    if (filters.email?.trim())
      query.whereIn('email_index', fieldEncryption.indexesOf('email', filters.email))
    if (filters.status) query.where('status', filters.status)
    if (filters.channel) query.where('channel', filters.channel)
    if (filters.kind) query.where('kind', filters.kind)
    if (filters.topicId) query.where('topic_id', filters.topicId)
    if (filters.fiscalYear) query.where('fiscal_year', filters.fiscalYear)
    if (filters.handling === 'pending' || filters.assignedUserId) {
      OpinionListQuery.#restrictToForwards(query, scope, filters)
    }
    if (filters.due) {
      query.whereIn('status', [...OPEN_OPINION_STATUSES]).whereNotNull('due_on')
      if (filters.due === 'overdue') query.where('due_on', '<', today.toISODate()!)
      if (filters.due === 'near_due') {
        query
          .where('due_on', '>=', today.toISODate()!)
          .where('due_on', '<=', OpinionSchedule.nearDueThreshold(today).toISODate()!)
      }
    }
    return { query }
  }

  /**
   * Opinions with a forward to one of the scope's departments that is still
   * pending and/or has this 担当者 (both on the same forward); pending ones
   * of closed opinions wait for nobody.
   */
  static #restrictToForwards(query: OpinionQuery, scope: OpinionScope, filters: OpinionFilters) {
    query.whereIn('opinions.id', (sub) => {
      sub.from('opinion_departments').select('opinion_id')
      if (filters.handling === 'pending') sub.where('handling_status', 'pending')
      if (filters.assignedUserId) sub.where('assigned_user_id', filters.assignedUserId)
      if (scope.departmentIds !== null) sub.whereIn('department_id', scope.departmentIds)
    })
    if (filters.handling === 'pending') query.whereNot('status', 'closed')
  }

  /**
   * The staff list's search: one page, and an audit entry when the submitter's
   * name, phone or email was searched for (which fields, never the values).
   */
  static async search(
    user: User,
    filters: OpinionFilters,
    auditLog: AuditLogger,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<OpinionPage> {
    const searchedPersonal = PERSONAL_FILTERS.filter((field) => filters[field])
    if (searchedPersonal.length > 0) {
      await auditLog.record({
        action: 'opinion.search_personal_data',
        subject: null,
        changedFields: [...searchedPersonal],
      })
    }
    return OpinionListQuery.page(user, filters, today)
  }

  /** One page of the list, newest first, with each row's due state as of `today`. */
  static async page(
    user: User,
    filters: OpinionFilters,
    today = DateTime.now().setZone(WARD_ZONE),
    perPage = 50
  ): Promise<OpinionPage> {
    const page = Math.max(1, filters.page ?? 1)
    const { query } = await OpinionListQuery.filtered(user, filters, today)
    const limited = query
      .clone()
      .select('opinions.id')
      .limit(COUNT_CAP + 1)
    // The page and the count are independent: both run at once, on two connections.
    const [records, counted] = await Promise.all([
      query
        .leftJoin(
          'departments as lead_department',
          'lead_department.id',
          'opinions.lead_department_id'
        )
        .select([...LIST_COLUMNS])
        .orderBy('opinions.id', 'desc')
        .offset((page - 1) * perPage)
        .limit(perPage + 1)
        .pojo<ListRecord>(),
      db.from(limited.as('matches')).count('* as total'),
    ])
    const todayIso = today.toISODate()!
    const nearDueFrom = OpinionSchedule.nearDueThreshold(today).toISODate()!
    const rows = records.slice(0, perPage).map((record): OpinionListRow => {
      const dueOn = record.due_on === null ? null : calendarDate(record.due_on)
      return {
        id: record.id,
        referenceNo: Opinion.referenceNoOf(record.fiscal_year, record.id),
        receivedAt: moment(record.received_at),
        channel: record.channel,
        kind: record.kind,
        topicId: record.topic_id,
        subject: record.subject,
        status: record.status,
        leadDepartmentName: record.lead_department_name,
        dueOn,
        dueState: dueStateOf(dueOn, record.status, todayIso, nearDueFrom),
      }
    })
    const total = Number(counted[0].total)
    return {
      rows,
      page,
      perPage,
      hasMore: records.length > perPage,
      total: Math.min(total, COUNT_CAP),
      capped: total > COUNT_CAP,
    }
  }
}
