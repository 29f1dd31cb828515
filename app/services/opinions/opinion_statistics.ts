import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import DepartmentDirectory, { type DirectoryTree } from '#services/department_directory'
import type User from '#models/user'
import OpinionScope, { type OpinionQuery } from '#builders/opinion_scope'
import OpinionListQuery, { type OpinionFilters } from '#services/opinions/opinion_list_query'
import OpinionQueries, { type Choice } from '#services/opinions/opinion_queries'
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

/** What the statistics page reads anyway for its filters, handed in so it is read once. */
export interface StatisticsLookups {
  /** OpinionQueries.topicChoices() */
  topics: Choice[]
  /** DepartmentDirectory's tree */
  tree: DirectoryTree
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

/**
 * The open statuses written out, not bound: SQLite uses a partial index only
 * when the query repeats its WHERE term (migration 9050), and a bound
 * parameter never matches it.
 */
const OPEN_STATUS_SQL = `opinions.status IN (${OPEN_OPINION_STATUSES.map((status) => `'${status}'`).join(', ')})`

/** The key of NULL (no topic, no lead department yet); topic and department keys are ids. */
const NONE = 'none'
const keyOf = (value: unknown) => (value === null || value === undefined ? NONE : String(value))

/** Counts per key (a channel, a 'YYYY-MM', a topic id…). */
type Counts = Record<string, number>

const add = (counts: Counts, key: string, count: number) => {
  counts[key] = (counts[key] ?? 0) + count
}

/** The opinions one lead department (NONE: not forwarded yet) leads in a year, with their reply figures. */
interface LeadFigures {
  count: number
  /** Due date set. */
  owed: number
  /** Replied after the due date. */
  late: number
  /** [reply_open_days, replies] */
  days: Array<[number, number]>
}

/** The same, summed over fiscal years. */
interface LeadSum extends Omit<LeadFigures, 'days'> {
  days: Map<number, number>
}

const noLead = (): LeadSum => ({ count: 0, owed: 0, late: 0, days: new Map() })

function addLead(into: LeadSum, lead: LeadFigures | LeadSum) {
  into.count += lead.count
  into.owed += lead.owed
  into.late += lead.late
  for (const [days, replies] of lead.days) into.days.set(days, (into.days.get(days) ?? 0) + replies)
}

/**
 * What one fiscal year contributes, summed per dimension: the snapshot's
 * payload (a few KB however many opinions the year has, so a view reads
 * and parses little). Nothing here depends on today.
 */
interface YearFigures {
  fiscalYear: number
  total: number
  byMonth: Counts
  byChannel: Counts
  byKind: Counts
  byStatus: Counts
  byTopic: Counts
  byLead: Record<string, LeadFigures>
  /** Co-forwarded (non-lead) opinions per department. */
  coForwarded: Counts
}

/** Reply figures of the opinions a department (or everyone) leads, with the open ones past their due date. */
function replyFiguresOf(
  lead: LeadSum,
  openOverdue: number
): { figures: ReplyFigures; histogram: Array<{ days: number; count: number }> } {
  const histogram = [...lead.days]
    .map(([days, count]) => ({ days, count }))
    .sort((a, b) => a.days - b.days)
  const replied = histogram.reduce((sum, bin) => sum + bin.count, 0)
  const daysSum = histogram.reduce((sum, bin) => sum + bin.days * bin.count, 0)
  const overdue = lead.late + openOverdue
  return {
    figures: {
      replied,
      averageDays: replied > 0 ? Math.round((daysSum / replied) * 10) / 10 : null,
      p90Days: percentileFromHistogram(histogram, 90),
      owed: lead.owed,
      overdue,
      overdueRate: lead.owed > 0 ? overdue / lead.owed : null,
    },
    histogram,
  }
}

/** Buckets in the given order, or by key. */
function bucketsOf(counts: Counts, order?: readonly string[]): Bucket[] {
  const list = Object.entries(counts).map(([key, count]) => ({ key, label: null, count }))
  if (order) list.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key))
  else list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return list
}

/**
 * 区民の声 statistics: counts per fiscal year, month, channel, kind, topic,
 * status and department, reply time (average and 90th percentile of open
 * days) and the overdue rate, over the opinions the user may see
 * (OpinionScope: the same scoping as the list and the export).
 *
 * Each fiscal year is counted by three queries over covering indexes (no
 * per-row time arithmetic: replied_late is a generated column), summed per
 * dimension and kept as a snapshot until an opinion of that year changes;
 * the open opinions past their due date are counted on every view (partial
 * index of migration 9050). Reply time and overdue figures belong to the
 * lead department (主管課), which drafts and sends the reply.
 */
export default class OpinionStatistics {
  static async compute(
    user: User,
    filters: StatisticsFilters,
    today = DateTime.now().setZone(WARD_ZONE),
    lookups?: StatisticsLookups
  ): Promise<OpinionStatisticsResult> {
    const asOf = today.setZone(WARD_ZONE).toISODate()!
    const scope = await OpinionScope.for(user)
    const { query } = await OpinionListQuery.scoped(scope, filters, today)
    const [years, openOverdueRows, topics, tree] = await Promise.all([
      OpinionStatisticsSnapshots.rowsPerYear(filters, scope.departmentIds, (fiscalYear) =>
        OpinionStatistics.#countYear({ ...filters, fiscalYear }, scope)
      ),
      // Open and past the due date as of today: few rows, read from the partial index alone.
      query
        .clone()
        .whereRaw(OPEN_STATUS_SQL)
        .whereNull('opinions.replied_at')
        .where('opinions.due_on', '<', asOf)
        .select(db.raw('opinions.lead_department_id, COUNT(*) AS count'))
        .groupBy('opinions.lead_department_id')
        .pojo<CountRow>(),
      lookups?.topics ?? OpinionQueries.topicChoices(),
      lookups?.tree ?? DepartmentDirectory.load(user).then((directory) => directory.tree()),
    ])

    const sum = {
      total: 0,
      byFiscalYear: {} as Counts,
      byMonth: {} as Counts,
      byChannel: {} as Counts,
      byKind: {} as Counts,
      byStatus: {} as Counts,
      byTopic: {} as Counts,
      coForwarded: {} as Counts,
      byLead: new Map<string, LeadSum>(),
    }
    const everyone = noLead()
    for (const year of years) {
      if (year.total === 0) continue
      sum.total += year.total
      add(sum.byFiscalYear, String(year.fiscalYear), year.total)
      for (const dimension of [
        'byMonth',
        'byChannel',
        'byKind',
        'byStatus',
        'byTopic',
        'coForwarded',
      ] as const) {
        for (const [key, count] of Object.entries(year[dimension])) add(sum[dimension], key, count)
      }
      for (const [key, lead] of Object.entries(year.byLead)) {
        if (!sum.byLead.has(key)) sum.byLead.set(key, noLead())
        addLead(sum.byLead.get(key)!, lead)
        addLead(everyone, lead)
      }
    }
    const openOverdueOf = new Map(
      openOverdueRows.map((row) => [keyOf(row.lead_department_id), toNumber(row.count)])
    )
    const openOverdue = [...openOverdueOf.values()].reduce((total, count) => total + count, 0)
    const { figures, histogram } = replyFiguresOf(everyone, openOverdue)

    return {
      total: sum.total,
      byFiscalYear: bucketsOf(sum.byFiscalYear),
      byMonth: bucketsOf(sum.byMonth),
      byChannel: bucketsOf(sum.byChannel, OPINION_CHANNELS),
      byKind: bucketsOf(sum.byKind, OPINION_KINDS),
      byTopic: OpinionStatistics.#topics(sum.byTopic, topics),
      byStatus: bucketsOf(sum.byStatus, OPINION_STATUSES),
      byDepartment: await OpinionStatistics.#departments(
        scope,
        filters,
        tree,
        sum.byLead,
        openOverdueOf,
        sum.coForwarded
      ),
      reply: figures,
      replyDays: histogram,
      asOf,
    }
  }

  /** One fiscal year: the two GROUP BYs and the co-forwarded departments, concurrently, summed per dimension. */
  static async #countYear(
    filters: StatisticsFilters & { fiscalYear: number },
    scope: OpinionScope
  ): Promise<YearFigures> {
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

    const year: YearFigures = {
      fiscalYear: filters.fiscalYear,
      total: 0,
      byMonth: {},
      byChannel: {},
      byKind: {},
      byStatus: {},
      byTopic: {},
      byLead: {},
      coForwarded: {},
    }
    for (const row of months) {
      const count = toNumber(row.count)
      year.total += count
      add(year.byMonth, String(row.received_month), count)
      add(year.byChannel, String(row.channel), count)
      add(year.byKind, String(row.kind), count)
      add(year.byStatus, String(row.status), count)
    }
    const leads = new Map<string, LeadSum>()
    for (const row of replies) {
      const count = toNumber(row.count)
      add(year.byTopic, keyOf(row.topic_id), count)
      const key = keyOf(row.lead_department_id)
      if (!leads.has(key)) leads.set(key, noLead())
      addLead(leads.get(key)!, {
        count,
        owed: toNumber(row.owed),
        late: toNumber(row.late),
        days:
          row.reply_open_days === null || row.reply_open_days === undefined
            ? []
            : [[Number(row.reply_open_days), count]],
      })
    }
    for (const [key, lead] of leads) year.byLead[key] = { ...lead, days: [...lead.days] }
    for (const row of coForwarded)
      add(year.coForwarded, String(row.department_id), toNumber(row.count))
    return year
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

  /** Topic buckets in the topics' own order, unclassified (分野なし, key 'none') last. */
  static #topics(countOf: Counts, topics: Choice[]): Bucket[] {
    const list: Bucket[] = topics
      .filter((topic) => countOf[String(topic.id)] !== undefined)
      .map((topic) => ({ key: String(topic.id), label: topic.name, count: countOf[topic.id] }))
    if (countOf[NONE] !== undefined) list.push({ key: NONE, label: null, count: countOf[NONE] })
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
    tree: DirectoryTree,
    leads: Map<string, LeadSum>,
    openOverdueOf: Map<string, number>,
    coForwardedOf: Counts
  ): Promise<DepartmentFigures[]> {
    let visible = scope.departmentIds
    if (filters.departmentId) {
      const subtree = await scope.subtreeIds(filters.departmentId)
      visible = visible === null ? subtree : visible.filter((id) => subtree.includes(id))
    }

    const result: DepartmentFigures[] = []
    for (const { department, depth } of tree) {
      if (visible !== null && !visible.includes(department.id)) continue
      const key = String(department.id)
      const led = leads.get(key) ?? noLead()
      const forwarded = led.count + (coForwardedOf[key] ?? 0)
      if (forwarded === 0) continue
      result.push({
        departmentId: department.id,
        name: department.name,
        depth,
        forwarded,
        lead: led.count,
        ...replyFiguresOf(led, openOverdueOf.get(key) ?? 0).figures,
      })
    }
    return result
  }
}
