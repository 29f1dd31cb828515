import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Department from '#models/department'
import Topic from '#models/topic'
import type User from '#models/user'
import OpinionListQuery, { type OpinionFilters } from '#services/opinion_list_query'

type OpinionQuery = Awaited<ReturnType<typeof OpinionListQuery.filtered>>['query']
import { WARD_ZONE } from '#services/ward_calendar'
import { OPEN_OPINION_STATUSES, OPINION_CHANNELS, OPINION_KINDS, OPINION_STATUSES } from '#enums/opinion'

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
  /** Opinions forwarded to the department (an opinion forwarded to two counts for both). */
  forwarded: number
  /** Opinions it leads (opinions.lead_department_id). */
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

/** Aggregates computed for every group. */
interface AggregateRow {
  count: number | string
  owed: number | string | null
  overdue: number | string | null
  replied: number | string | null
  days_sum: number | string | null
}

/** The breakdowns, read from two GROUP BYs whose key sets stay small (months × channels × kinds × statuses; topics × departments × days). */
const FIRST_PASS = ['fiscal_year', 'received_month', 'channel', 'kind', 'status'] as const
const SECOND_PASS = ['topic_id', 'lead_department_id', 'reply_open_days'] as const
type Dimension = (typeof FIRST_PASS)[number] | (typeof SECOND_PASS)[number]

const OPEN_STATUSES_SQL = OPEN_OPINION_STATUSES.map((status) => `'${status}'`).join(', ')

/**
 * 90th percentile by nearest rank from a histogram (days → count): the
 * smallest number of days within which at least 90 % of the replies went
 * out. Portable (SQLite has no percentile_cont) and exact for whole days.
 */
export function percentileFromHistogram(histogram: Array<{ days: number; count: number }>, percent: number): number | null {
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

function replyFigures(row: AggregateRow | undefined, p90Days: number | null): ReplyFigures {
  const replied = toNumber(row?.replied)
  const owed = toNumber(row?.owed)
  const overdue = toNumber(row?.overdue)
  return {
    replied,
    averageDays: replied > 0 ? Math.round((toNumber(row?.days_sum) / replied) * 10) / 10 : null,
    p90Days,
    owed,
    overdue,
    overdueRate: owed > 0 ? overdue / owed : null,
  }
}

/**
 * 区民の声 statistics: counts per fiscal year, month, channel, kind, topic,
 * status and department, reply time (average and 90th percentile of open
 * days) and the overdue rate, over the opinions the user may see
 * (OpinionListQuery.filtered: the same scoping as the list and the export).
 *
 * Three queries, run concurrently: two GROUP BYs whose groups are folded
 * into the breakdowns here, and one join on opinion_departments for the
 * forwarded departments. Migration 6100 gives them covering indexes.
 */
export default class OpinionStatistics {
  static async compute(
    user: User,
    filters: StatisticsFilters,
    today = DateTime.now().setZone(WARD_ZONE)
  ): Promise<OpinionStatisticsResult> {
    const asOf = today.setZone(WARD_ZONE).toISODate()!
    const { query } = await OpinionListQuery.filtered(user, filters, today)
    const postgres = query.client.dialect.name === 'postgres'
    // The ward-local date of replied_at: PG stores timestamptz, SQLite the ward-local 'yyyy-MM-dd HH:mm:ss'.
    const repliedOn = postgres ? `(opinions.replied_at AT TIME ZONE '${WARD_ZONE}')::date` : 'substr(opinions.replied_at, 1, 10)'
    const aggregates = [
      'COUNT(*) AS count',
      'SUM(CASE WHEN opinions.due_on IS NOT NULL THEN 1 ELSE 0 END) AS owed',
      `SUM(CASE WHEN opinions.due_on IS NOT NULL AND (
          (opinions.replied_at IS NOT NULL AND ${repliedOn} > opinions.due_on)
          OR (opinions.replied_at IS NULL AND opinions.status IN (${OPEN_STATUSES_SQL}) AND opinions.due_on < ?)
        ) THEN 1 ELSE 0 END) AS overdue`,
      'COUNT(opinions.reply_open_days) AS replied',
      'SUM(opinions.reply_open_days) AS days_sum',
    ].join(', ')

    // Two GROUP BYs over moderate key sets (≤ about 10,000 groups each), folded
    // per breakdown here, and the per-department join, run concurrently. One
    // GROUP BY GROUPING SETS scan was measured 5–10 times slower on PostgreSQL
    // (a hash table per set for every row).
    const grouped = (dimensions: readonly Dimension[]) => {
      const columns = dimensions.map((dimension) => `opinions.${dimension}`)
      return query
        .clone()
        .select(db.raw(`${columns.join(', ')}, ${aggregates}`, [asOf]))
        .groupByRaw(columns.join(', '))
        .pojo<AggregateRow & Record<string, unknown>>()
    }
    const [first, second, forwarded] = await Promise.all([
      grouped(FIRST_PASS),
      grouped(SECOND_PASS),
      OpinionStatistics.#forwarded(query, aggregates, asOf),
    ])
    const groups = new Map<Dimension | 'total', Array<AggregateRow & { value: unknown }>>()
    const fold = (name: Dimension | 'total', rows: Array<AggregateRow & Record<string, unknown>>) => {
      const sums = new Map<string, AggregateRow & { value: unknown }>()
      for (const row of rows) {
        const value = name === 'total' ? null : row[name]
        const key = value === null || value === undefined ? '\u0000null' : String(value)
        const sum = sums.get(key) ?? { value, count: 0, owed: 0, overdue: 0, replied: 0, days_sum: 0 }
        sum.count = toNumber(sum.count) + toNumber(row.count)
        sum.owed = toNumber(sum.owed) + toNumber(row.owed)
        sum.overdue = toNumber(sum.overdue) + toNumber(row.overdue)
        sum.replied = toNumber(sum.replied) + toNumber(row.replied)
        sum.days_sum = toNumber(sum.days_sum) + toNumber(row.days_sum)
        sums.set(key, sum)
      }
      groups.set(name, [...sums.values()])
    }
    fold('total', first)
    for (const dimension of FIRST_PASS) fold(dimension, first)
    for (const dimension of SECOND_PASS) fold(dimension, second)

    const rowsOf = (dimension: Dimension) => groups.get(dimension) ?? []
    const buckets = (dimension: Dimension, order?: readonly string[]): Bucket[] => {
      const list = rowsOf(dimension)
        .filter((row) => row.value !== null && row.value !== undefined)
        .map((row) => ({ key: String(row.value), label: null, count: toNumber(row.count) }))
      if (order) list.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))
      else list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      return list
    }

    const replyDays = rowsOf('reply_open_days')
      .filter((row) => row.value !== null && row.value !== undefined)
      .map((row) => ({ days: Number(row.value), count: toNumber(row.count) }))
      .sort((a, b) => a.days - b.days)
    const totalRow = groups.get('total')?.[0]

    return {
      total: toNumber(totalRow?.count),
      byFiscalYear: buckets('fiscal_year'),
      byMonth: buckets('received_month'),
      byChannel: buckets('channel', OPINION_CHANNELS),
      byKind: buckets('kind', OPINION_KINDS),
      byTopic: await OpinionStatistics.#topics(rowsOf('topic_id')),
      byStatus: buckets('status', OPINION_STATUSES),
      byDepartment: await OpinionStatistics.#departments(user, filters, forwarded, rowsOf('lead_department_id')),
      reply: replyFigures(totalRow, percentileFromHistogram(replyDays, 90)),
      replyDays,
      asOf,
    }
  }

  /** Topic buckets in the topics' own order, unclassified (分野なし) last. */
  static async #topics(rows: Array<AggregateRow & { value: unknown }>): Promise<Bucket[]> {
    const topics = await Topic.query().orderBy('sortOrder').orderBy('id')
    const countOf = new Map(rows.map((row) => [row.value === null ? 'none' : String(row.value), toNumber(row.count)]))
    const list: Bucket[] = topics
      .filter((topic) => countOf.has(String(topic.id)))
      .map((topic) => ({ key: String(topic.id), label: topic.name, count: countOf.get(String(topic.id))! }))
    if (countOf.has('none')) list.push({ key: 'none', label: null, count: countOf.get('none')! })
    return list
  }

  /**
   * Opinions per forwarded department and reply days in one join (an
   * opinion forwarded to two departments counts for both): department ×
   * reply_open_days, with the aggregates.
   */
  static #forwarded(query: OpinionQuery, aggregates: string, asOf: string) {
    return query
      .clone()
      .join('opinion_departments', 'opinion_departments.opinion_id', 'opinions.id')
      .select(db.raw(`opinion_departments.department_id AS department_id, opinions.reply_open_days AS days, ${aggregates}`, [asOf]))
      .groupBy('opinion_departments.department_id', 'opinions.reply_open_days')
      .pojo<AggregateRow & { department_id: number | string; days: number | string | null }>()
  }

  /**
   * Per department: the forwarded opinions with their reply time and overdue
   * figures, and the opinions it leads. Department staff see only their own
   * departments' rows.
   */
  static async #departments(
    user: User,
    filters: StatisticsFilters,
    forwarded: Array<AggregateRow & { department_id: number | string; days: number | string | null }>,
    leadRows: Array<AggregateRow & { value: unknown }>
  ): Promise<DepartmentFigures[]> {
    let visible = await OpinionListQuery.visibleDepartmentIds(user)
    if (filters.departmentId) {
      const subtree = await Department.subtreeIds(filters.departmentId)
      visible = visible === null ? subtree : visible.filter((id) => subtree.includes(id))
    }
    const leadOf = new Map(leadRows.filter((row) => row.value !== null).map((row) => [Number(row.value), toNumber(row.count)]))
    const forwardedOf = new Map<number, AggregateRow>()
    const binsOf = new Map<number, Array<{ days: number; count: number }>>()
    for (const row of forwarded) {
      const id = Number(row.department_id)
      const sum = forwardedOf.get(id) ?? { count: 0, owed: 0, overdue: 0, replied: 0, days_sum: 0 }
      for (const field of ['count', 'owed', 'overdue', 'replied', 'days_sum'] as const) {
        sum[field] = toNumber(sum[field]) + toNumber(row[field])
      }
      forwardedOf.set(id, sum)
      if (row.days !== null && row.days !== undefined) {
        const list = binsOf.get(id) ?? []
        list.push({ days: Number(row.days), count: toNumber(row.count) })
        binsOf.set(id, list)
      }
    }

    const result: DepartmentFigures[] = []
    for (const { department, depth } of await Department.asTree()) {
      if (visible !== null && !visible.includes(department.id)) continue
      const row = forwardedOf.get(department.id)
      const lead = leadOf.get(department.id) ?? 0
      if (!row && lead === 0) continue
      result.push({
        departmentId: department.id,
        name: department.name,
        depth,
        forwarded: toNumber(row?.count),
        lead,
        ...replyFigures(row, percentileFromHistogram(binsOf.get(department.id) ?? [], 90)),
      })
    }
    return result
  }
}
