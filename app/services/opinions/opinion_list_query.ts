import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Department from '#models/department'
import Opinion from '#models/opinion'
import type User from '#models/user'
import OpinionScope, { type OpinionQuery } from '#builders/opinion_scope'
import fieldEncryption from '#services/field_encryption'
import OpinionSearch from '#services/opinions/opinion_search'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { WARD_ZONE } from '#services/ward_calendar'
import AuditLogger from '#services/audit_logger'
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

export interface OpinionPage {
  /**
   * The page's opinions with the list's columns only (LIST_COLUMNS) and lead department;
   * topics are not preloaded (the page names them from its topic choices, read anyway).
   */
  rows: Opinion[]
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
  'id',
  'fiscal_year',
  'received_at',
  'channel',
  'kind',
  'topic_id',
  'subject',
  'lead_department_id',
  'status',
  'due_on',
] as const

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
        await Department.subtreeIds(filters.departmentId),
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
  static async search(user: User, filters: OpinionFilters): Promise<OpinionPage> {
    const searchedPersonal = PERSONAL_FILTERS.filter((field) => filters[field])
    if (searchedPersonal.length > 0) {
      await AuditLogger.record({
        action: 'opinion.search_personal_data',
        subject: null,
        changedFields: [...searchedPersonal],
      })
    }
    return OpinionListQuery.page(user, filters)
  }

  static async page(user: User, filters: OpinionFilters, perPage = 50): Promise<OpinionPage> {
    const page = Math.max(1, filters.page ?? 1)
    const { query } = await OpinionListQuery.filtered(user, filters)
    const limited = query
      .clone()
      .select('opinions.id')
      .limit(COUNT_CAP + 1)
    const rows = await query
      .select(LIST_COLUMNS.map((column) => `opinions.${column}`))
      .orderBy('opinions.id', 'desc')
      .offset((page - 1) * perPage)
      .limit(perPage + 1)
      .preload('leadDepartment', (department) => department.select('id', 'name'))
    const counted = await db.from(limited.as('matches')).count('* as total')
    const total = Number(counted[0].total)
    return {
      rows: rows.slice(0, perPage),
      page,
      perPage,
      hasMore: rows.length > perPage,
      total: Math.min(total, COUNT_CAP),
      capped: total > COUNT_CAP,
    }
  }
}
