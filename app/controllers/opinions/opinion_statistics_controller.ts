import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Department from '#models/department'
import Topic from '#models/topic'
import OpinionStatisticsPolicy from '#policies/opinions/opinion_statistics_policy'
import OpinionListQuery from '#services/opinions/opinion_list_query'
import OpinionStatistics from '#services/opinions/opinion_statistics'
import OpinionStatisticsCharts from '#services/opinions/opinion_statistics_charts'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { OPINION_CHANNELS, OPINION_KINDS, OPINION_STATUSES } from '#enums/opinion'
import Opinion from '#models/opinion'

export default class OpinionStatisticsController {
  /** 区民の声の統計: figures, charts and tables for the user's scope and the chosen filters. */
  async show({ request, bouncer, auth, view, i18n }: HttpContext) {
    await bouncer.with(OpinionStatisticsPolicy).authorize('view')
    const user = auth.use('web').getUserOrFail()
    const today = DateTime.now().setZone(WARD_ZONE)
    const currentFiscalYear = WardCalendar.fiscalYear(today)
    const { filters, ignored } = await OpinionStatisticsFilters.parse(request.qs(), user, currentFiscalYear)
    const statistics = await OpinionStatistics.compute(user, filters, today)

    const visible = await OpinionListQuery.visibleDepartmentIds(user)
    const departments = (await Department.asTree()).filter(({ department }) => visible === null || visible.includes(department.id))
    const range = await Opinion.query().min('fiscal_year as first').max('fiscal_year as last').pojo<{ first: number | null; last: number | null }>()
    const first = Math.min(Number(range[0]?.first ?? currentFiscalYear), currentFiscalYear)
    const last = Math.max(Number(range[0]?.last ?? currentFiscalYear), currentFiscalYear)
    const fiscalYears = Array.from({ length: last - first + 1 }, (_, index) => last - index)

    const monthLabel = (key: string) => i18n.t('opinion_statistics.month', { year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)) })
    const manyMonths = statistics.byMonth.length > 24
    const monthChart = OpinionStatisticsCharts.columns(
      statistics.byMonth,
      (bucket, index) => (!manyMonths || bucket.key.endsWith('-04') || index === 0 ? `${Number(bucket.key.slice(5, 7))}` : ''),
      (bucket) => `${monthLabel(bucket.key)}: ${bucket.count}`
    )
    const yearChart = OpinionStatisticsCharts.columns(
      statistics.byFiscalYear,
      (bucket) => WardCalendar.fiscalYearLabel(Number(bucket.key)),
      (bucket) => `${WardCalendar.fiscalYearLabel(Number(bucket.key))}: ${bucket.count}`
    )

    return view.render('pages/opinions/statistics/show', {
      statistics,
      filters,
      ignored,
      departments,
      fiscalYears,
      topics: await Topic.query().orderBy('sortOrder').orderBy('id'),
      channels: OPINION_CHANNELS,
      kinds: OPINION_KINDS,
      statuses: OPINION_STATUSES,
      monthChart,
      yearChart,
      monthLabel,
      fiscalYearLabel: (year: number | string) => WardCalendar.fiscalYearLabel(Number(year)),
      percentOf: OpinionStatisticsCharts.percentOf,
      staffScope: visible !== null,
      asOfLabel: WardCalendar.formatEra(today),
      pageQs: OpinionStatisticsFilters.toQueryString(filters),
      listQuery: OpinionStatisticsFilters.listQuery(filters),
      overdueListQuery: OpinionStatisticsFilters.listQuery(filters, { due: 'overdue' }),
    })
  }
}
