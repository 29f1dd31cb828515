import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Department from '#models/department'
import Topic from '#models/topic'
import type User from '#models/user'
import OpinionScope, { type OpinionQuery } from '#builders/opinion_scope'
import OpinionListQuery, { type OpinionFilters } from '#services/opinions/opinion_list_query'
import OpinionStatisticsSnapshots from '#services/opinions/opinion_statistics_snapshots'
import { STATISTICS_FILTER_FIELDS } from '#services/opinions/opinion_statistics_filters'
import { WARD_ZONE } from '#services/ward_calendar'
import {
  OPEN_OPINION_STATUSES,
  OPINION_CHANNELS,
  OPINION_KINDS,
  OPINION_STATUSES,
} from '#enums/opinion'

/** The filters of the statistics page and the CSV export (a subset of the list's filters). */
export type StatisticsFilters = Pick<
  OpinionFilters,
  'fiscalYear' | 'channel' | 'kind' | 'topicId' | 'departmentId' | 'status'
>

/** One bar: `key` is the raw value (channel code, 'YYYY-MM', topic id…), `label` set for topics and departments. */
export interface Bucket {
  key: string
  label: string | null
  count: number
}

/** Reply time and due dates over a set of opinions. */
export interface ReplyFigures {
  /** Opinions with reply_open_days (replied). */
  replied: number
  /** Mean open days from receipt to reply, one decimal; null without replies. */
  averageDays: number | null
  /** 90th percentile (nearest rank) of open days to reply; null without replies. */
  p90Days: number | null
  /** Opinions that owed a reply (due_on set). */
  owed: number
  /** Of those: replied after due_on, or still open past due_on as of today. */
  overdue: number
  /** overdue / owed (0–1); null when nothing was owed. */
  overdueRate: number | null
}

export interface DepartmentFigures extends ReplyFigures {
  departmentId: number
  name: string
  depth: number
  /** Opinions forwarded to the department, as lead or co-forwarded (an opinion forwarded to two counts for both). */
  forwarded: number
  /** Opinions it leads (opinions.lead_department_id); the reply figures are over these. */
  lead: number
}

export interface OpinionStatisticsResult {
  total: number
  byFiscalYear: Bucket[]
  byMonth: Bucket[]
  byChannel: Bucket[]
  byKind: Bucket[]
  byTopic: Bucket[]
  byStatus: Bucket[]
  byDepartment: DepartmentFigures[]
  reply: ReplyFigures
  /** reply_open_days → count, ascending (the histogram the percentile is read from). */
  replyDays: Array<{ days: number; count: number }>
  /** The day the overdue figures are computed for (ward zone, ISO). */
  asOf: string
}

/**
 * 90th percentile by nearest rank from a histogram (days → count): the
 * smallest number of days within which at least 90 % of the replies went
 * out. Portable (SQLite has no percentile_cont) and exact for whole days.
 */
export function percentileFromHistogram(
  histogram: Array<{ days: number; count: number }>,
  percent: number
): number | null {
  const total = histogram.reduce((sum, bin) => sum + bin.count, 0)
  if (total === 0) return null
  const rank = Math.ceil((percent / 100) * total)
  let seen = 0
  for (const bin of [...histogram].sort((a, b) => a.days - b.days)) {
    seen += bin.count
    if (seen >= rank) return bin.days
  }
  return null
}

const toNumber = (value: number | string | null | undefined) => Number(value ?? 0)

/** A GROUP BY row: the group's columns and its count. */
type CountRow = Record<string, unknown> & { count: number | string }

/** A row of the reply GROUP BY: owed (due_on set) and late (replied after due_on) within the group. */
type ReplyRow = CountRow & { owed: number | string | null; late: number | string | null }

/**
 * The two GROUP BYs, each read in index order from its covering index
 * (created with the opinions tables): months × channels × kinds × statuses, and topics ×
 * lead departments × open days to reply with the due-date counts.
 */
const MONTH_DIMENSIONS = ['fiscal_year', 'received_month', 'channel', 'kind', 'status'] as const
const REPLY_DIMENSIONS = ['topic_id', 'lead_department_id', 'reply_open_days'] as const

const NULL_KEY = '\u0000null'
const keyOf = (value: unknown) => (value === null || value === undefined ? NULL_KEY : String(value))

/** Sums the counts per value of one column (NULL_KEY for NULL). */
function countBy(rows: CountRow[], column: string): Map<string, number> {
  const sums = new Map<string, number>()
  for (const row of rows) {
    const key = keyOf(row[column])
    sums.set(key, (sums.get(key) ?? 0) + toNumber(row.count))
  }
  return sums
}

/** Reply figures over reply rows, with the open opinions already past their due date. */
function replyFiguresOf(
  rows: ReplyRow[],
  openOverdue: number
): { figures: ReplyFigures; histogram: Array<{ days: number; count: number }> } {
  const bins = new Map<number, number>()
  let owed = 0
  let late = 0
  for (const row of rows) {
    owed += toNumber(row.owed)
    late += toNumber(row.late)
    if (row.reply_open_days === null || row.reply_open_days === undefined) continue
    const days = Number(row.reply_open_days)
    bins.set(days, (bins.get(days) ?? 0) + toNumber(row.count))
  }
  const histogram = [...bins]
    .map(([days, count]) => ({ days, count }))
    .sort((a, b) => a.days - b.days)
  const replied = histogram.reduce((sum, bin) => sum + bin.count, 0)
  const daysSum = histogram.reduce((sum, bin) => sum + bin.days * bin.count, 0)
  const overdue = late + openOverdue
  return {
    figures: {
      replied,
      averageDays: replied > 0 ? Math.round((daysSum / replied) * 10) / 10 : null,
      p90Days: percentileFromHistogram(histogram, 90),
      owed,
      overdue,
      overdueRate: owed > 0 ? overdue / owed : null,
    },
    histogram,
  }
}

/** What one fiscal year contributes: counted, or read from its snapshot (nothing here depends on today). */
interface YearRows {
  months: CountRow[]
  replies: ReplyRow[]
  coForwarded: CountRow[]
}

/**
 * 区民の声 statistics: counts per fiscal year, month, channel, kind, topic,
 * status and department, reply time (average and 90th percentile of open
 * days) and the overdue rate, over the opinions the user may see
 * (OpinionScope: the same scoping as the list and the export).
 *
 * Each fiscal year is counted by three queries over covering indexes (no
 * per-row time arithmetic: replied_late is a generated column) and kept as
 * a snapshot until an opinion of that year changes; the open opinions past
 * their due date are counted on every view. Reply time and overdue figures
 * belong to the lead department (主管課), which drafts and sends the reply.
 */
export default class OpinionStatistics {
  static async compute(
    user: User,
    filters: StatisticsFilters,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<OpinionStatisticsResult> {
    const asOf = today.setZone(WARD_ZONE).toISODate()!
    const scope = await OpinionScope.for(user)
    const { query } = await OpinionListQuery.scoped(scope, filters, today)
    const [years, openOverdueRows] = await Promise.all([
      OpinionStatisticsSnapshots.rowsPerYear(filters, scope.departmentIds, (fiscalYear) =>
        OpinionStatistics.#countYear({ ...filters, fiscalYear }, scope)
      ),
      // Open and past the due date as of today: few rows, found through the status index.
      query
        .clone()
        .whereIn('opinions.status', [...OPEN_OPINION_STATUSES])
        .whereNull('opinions.replied_at')
        .where('opinions.due_on', '<', asOf)
        .select(db.raw('opinions.lead_department_id, COUNT(*) AS count'))
        .groupBy('opinions.lead_department_id')
        .pojo<CountRow>(),
    ])
    const monthRows = years.flatMap((year) => year.months)
    const replyRows = years.flatMap((year) => year.replies)
    const coForwardedRows = years.flatMap((year) => year.coForwarded)

    const buckets = (column: string, order?: readonly string[]): Bucket[] => {
      const list = [...countBy(monthRows, column)]
        .filter(([key]) => key !== NULL_KEY)
        .map(([key, count]) => ({ key, label: null, count }))
      if (order) list.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))
      else list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      return list
    }
    const openOverdue = openOverdueRows.reduce((sum, row) => sum + toNumber(row.count), 0)
    const { figures, histogram } = replyFiguresOf(replyRows, openOverdue)

    return {
      total: monthRows.reduce((sum, row) => sum + toNumber(row.count), 0),
      byFiscalYear: buckets('fiscal_year'),
      byMonth: buckets('received_month'),
      byChannel: buckets('channel', OPINION_CHANNELS),
      byKind: buckets('kind', OPINION_KINDS),
      byTopic: await OpinionStatistics.#topics(countBy(replyRows, 'topic_id')),
      byStatus: buckets('status', OPINION_STATUSES),
      byDepartment: await OpinionStatistics.#departments(
        scope,
        filters,
        replyRows,
        openOverdueRows,
        coForwardedRows
      ),
      reply: figures,
      replyDays: histogram,
      asOf,
    }
  }

  /** One fiscal year's rows: the two GROUP BYs and the co-forwarded departments, concurrently. */
  static async #countYear(
    filters: StatisticsFilters & { fiscalYear: number },
    scope: OpinionScope
  ): Promise<YearRows> {
    const { query } = await OpinionListQuery.scoped(scope, filters)
    const grouped = <Row extends CountRow>(dimensions: readonly string[], aggregates: string) => {
      const columns = dimensions.map((dimension) => `opinions.${dimension}`).join(', ')
      return query
        .clone()
        .select(db.raw(`${columns}, ${aggregates}`))
        .groupByRaw(columns)
        .pojo<Row>()
    }
    const [months, replies, coForwarded] = await Promise.all([
      grouped<CountRow>(MONTH_DIMENSIONS, 'COUNT(*) AS count'),
      grouped<ReplyRow>(
        REPLY_DIMENSIONS,
        'COUNT(*) AS count, COUNT(opinions.due_on) AS owed, SUM(CASE WHEN opinions.replied_late THEN 1 ELSE 0 END) AS late'
      ),
      OpinionStatistics.#coForwarded(query, filters, scope),
    ])
    return { months, replies, coForwarded }
  }

  /**
   * Co-forwarded (non-lead) departments per department in one fiscal year.
   * Without other filters, for a user who sees every opinion, the partial
   * index on opinion_departments answers alone; otherwise the rows are
   * limited to the opinions of the filtered query.
   */
  static #coForwarded(
    query: OpinionQuery,
    filters: StatisticsFilters & { fiscalYear: number },
    scope: OpinionScope
  ) {
    const rows = db
      .from('opinion_departments')
      .whereRaw('NOT opinion_departments.is_lead')
      .where('opinion_departments.fiscal_year', filters.fiscalYear)
      .select(db.raw('opinion_departments.department_id, COUNT(*) AS count'))
      .groupBy('opinion_departments.department_id')
    const yearOnly = STATISTICS_FILTER_FIELDS.every(
      (field) => field === 'fiscalYear' || !filters[field]
    )
    if (!(yearOnly && scope.seesAll))
      rows.whereIn('opinion_departments.opinion_id', query.clone().select('opinions.id'))
    return rows as unknown as Promise<CountRow[]>
  }

  /** Topic buckets in the topics' own order, unclassified (分野なし) last. */
  static async #topics(countOf: Map<string, number>): Promise<Bucket[]> {
    const topics = await Topic.query().orderBy('sortOrder').orderBy('id')
    const list: Bucket[] = topics
      .filter((topic) => countOf.has(String(topic.id)))
      .map((topic) => ({
        key: String(topic.id),
        label: topic.name,
        count: countOf.get(String(topic.id))!,
      }))
    if (countOf.has(NULL_KEY))
      list.push({ key: 'none', label: null, count: countOf.get(NULL_KEY)! })
    return list
  }

  /**
   * Per department: the opinions forwarded to it (as lead or co-forwarded),
   * those it leads, and the reply time and overdue figures of the opinions
   * it leads. Department staff see only their own departments' rows.
   */
  static async #departments(
    scope: OpinionScope,
    filters: StatisticsFilters,
    replyRows: ReplyRow[],
    openOverdueRows: CountRow[],
    coForwardedRows: CountRow[]
  ): Promise<DepartmentFigures[]> {
    let visible = scope.departmentIds
    if (filters.departmentId) {
      const subtree = await Department.subtreeIds(filters.departmentId)
      visible = visible === null ? subtree : visible.filter((id) => subtree.includes(id))
    }
    const ledRows = new Map<string, ReplyRow[]>()
    for (const row of replyRows) {
      const key = keyOf(row.lead_department_id)
      if (!ledRows.has(key)) ledRows.set(key, [])
      ledRows.get(key)!.push(row)
    }
    const openOverdueOf = countBy(openOverdueRows, 'lead_department_id')
    const coForwardedOf = countBy(coForwardedRows, 'department_id')

    const result: DepartmentFigures[] = []
    for (const { department, depth } of await Department.asTree()) {
      if (visible !== null && !visible.includes(department.id)) continue
      const key = String(department.id)
      const led = ledRows.get(key) ?? []
      const lead = led.reduce((sum, row) => sum + toNumber(row.count), 0)
      const forwarded = lead + (coForwardedOf.get(key) ?? 0)
      if (forwarded === 0) continue
      result.push({
        departmentId: department.id,
        name: department.name,
        depth,
        forwarded,
        lead,
        ...replyFiguresOf(led, openOverdueOf.get(key) ?? 0).figures,
      })
    }
    return result
  }
}
