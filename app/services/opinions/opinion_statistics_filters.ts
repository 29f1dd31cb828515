import vine from '@vinejs/vine'
import type User from '#models/user'
import OpinionScope from '#builders/opinion_scope'
import type { StatisticsFilters } from '#services/opinions/opinion_statistics'
import { OPINION_CHANNELS, OPINION_KINDS, OPINION_STATUSES } from '#enums/opinion'

/** The query-string fields of the statistics page and the export, one validator each. */
const FIELDS = {
  fiscalYear: vine.compile(vine.number().withoutDecimals().min(2000).max(2100)),
  channel: vine.compile(vine.enum(OPINION_CHANNELS)),
  kind: vine.compile(vine.enum(OPINION_KINDS)),
  topicId: vine.compile(vine.number().withoutDecimals().positive()),
  departmentId: vine.compile(vine.number().withoutDecimals().positive()),
  status: vine.compile(vine.enum(OPINION_STATUSES)),
}
export type StatisticsFilterField = keyof typeof FIELDS
export const STATISTICS_FILTER_FIELDS = Object.keys(FIELDS) as StatisticsFilterField[]

/** `fiscalYear=all` in the query string: every fiscal year (no parameter: the current one). */
export const ALL_YEARS = 'all'

export interface ParsedStatisticsFilters {
  filters: StatisticsFilters
  /** Fields that were present but invalid (or a department outside the user's scope): ignored, and said so. */
  ignored: StatisticsFilterField[]
}

/**
 * Reads the filters from a query string. A statistics link is often
 * hand-edited or old: an invalid field is dropped (and listed in `ignored`
 * for a notice) instead of failing the page. Empty fields mean "all";
 * without fiscalYear the current fiscal year applies, `fiscalYear=all`
 * means every year (the page and the CSV read it alike).
 */
export default class OpinionStatisticsFilters {
  static async parse(
    qs: Record<string, unknown>,
    user: User,
    currentFiscalYear: number
  ): Promise<ParsedStatisticsFilters> {
    const filters: Record<string, unknown> = {}
    const ignored: StatisticsFilterField[] = []
    for (const field of STATISTICS_FILTER_FIELDS) {
      const raw = Array.isArray(qs[field]) ? (qs[field] as unknown[])[0] : qs[field]
      if (field === 'fiscalYear' && raw === ALL_YEARS) continue
      if (field === 'fiscalYear' && (raw === undefined || raw === null || raw === '')) {
        filters.fiscalYear = currentFiscalYear
        continue
      }
      if (raw === undefined || raw === null || raw === '') continue
      const [error, value] = await FIELDS[field].tryValidate(raw)
      if (error) ignored.push(field)
      else filters[field] = value
    }
    const parsed = filters as StatisticsFilters
    if (parsed.departmentId) {
      const scope = await OpinionScope.for(user)
      if (!scope.includesDepartment(parsed.departmentId)) {
        delete parsed.departmentId
        ignored.push('departmentId')
      }
    }
    return { filters: parsed, ignored }
  }

  /** The filters as query-string values for this page and the CSV (all years: fiscalYear=all). */
  static toQueryString(filters: StatisticsFilters): Record<string, string | number> {
    const qs: Record<string, string | number> = { fiscalYear: ALL_YEARS }
    for (const field of STATISTICS_FILTER_FIELDS) {
      const value = filters[field]
      if (value !== undefined && value !== null) qs[field] = value
    }
    return qs
  }

  /**
   * The same filters as the query string of the opinion list ('?…', or ''):
   * /opinions reads q, status, channel, kind, topicId, departmentId,
   * fiscalYear and due; no fiscalYear there means every year.
   */
  static listQuery(filters: StatisticsFilters, extra: Record<string, string> = {}): string {
    const params = new URLSearchParams()
    for (const field of STATISTICS_FILTER_FIELDS) {
      const value = filters[field]
      if (value !== undefined && value !== null) params.set(field, String(value))
    }
    for (const [key, value] of Object.entries(extra)) params.set(key, value)
    const text = params.toString()
    return text ? `?${text}` : ''
  }
}
