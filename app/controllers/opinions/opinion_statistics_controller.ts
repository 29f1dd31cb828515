import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import StartBackgroundTask from '#actions/tasks/start_background_task'
import BackgroundTask, { TASK_RETENTION_DAYS } from '#models/background_task'
import OpinionStatisticsPolicy from '#policies/opinions/opinion_statistics_policy'
import OpinionScope from '#builders/opinion_scope'
import Clock from '#services/clock'
import DepartmentDirectory from '#services/department_directory'
import OpinionQueries from '#services/opinions/opinion_queries'
import OpinionStatistics from '#services/opinions/opinion_statistics'
import OpinionStatisticsCharts from '#services/opinions/opinion_statistics_charts'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { OPINION_CHANNELS, OPINION_KINDS, OPINION_STATUSES } from '#enums/opinion'

/** Recent CSV exports listed on the page (each kept TASK_RETENTION_DAYS). */
const RECENT_EXPORTS = 10

@inject()
export default class OpinionStatisticsController {
  constructor(protected clock: Clock) {}

  /** 区民の声の統計: figures, charts and tables for the user's scope and the chosen filters. */
  async show({ request, bouncer, auth, view, i18n }: HttpContext) {
    await bouncer.with(OpinionStatisticsPolicy).authorize('view')
    const user = auth.use('web').getUserOrFail()
    const today = this.clock.now().setZone(WARD_ZONE)
    const currentFiscalYear = WardCalendar.fiscalYear(today)
    const { filters, ignored } = await OpinionStatisticsFilters.parse(
      request.qs(),
      user,
      currentFiscalYear
    )
    // Read once for the filters and the figures; the rest concurrently (PostgreSQL has a pool).
    const [scope, topics, tree] = await Promise.all([
      OpinionScope.for(user),
      OpinionQueries.topicChoices(),
      DepartmentDirectory.load(user).then((directory) => directory.tree()),
    ])
    const [statistics, fiscalYears, recentExports] = await Promise.all([
      OpinionStatistics.compute(user, filters, today, { topics, tree }),
      OpinionQueries.fiscalYears(currentFiscalYear),
      BackgroundTask.query()
        .where('user_id', user.id)
        .where('kind', 'opinion_export')
        .where('expires_at', '>', DateTime.now().toSQL()!)
        .orderBy('id', 'desc')
        .limit(RECENT_EXPORTS),
    ])
    // A running export is the newest (a second is refused while it runs): among the recent.
    const runningExport = recentExports.find(StartBackgroundTask.isUnfinished) ?? null
    const monthLabel = (key: string) =>
      i18n.t('opinion_statistics.month', {
        year: Number(key.slice(0, 4)),
        month: Number(key.slice(5, 7)),
      })

    return view.render('pages/opinions/statistics/show', {
      statistics,
      filters,
      ignored,
      departments: tree.filter(({ department }) => scope.includesDepartment(department.id)),
      fiscalYears,
      topics,
      channels: OPINION_CHANNELS,
      kinds: OPINION_KINDS,
      statuses: OPINION_STATUSES,
      ...OpinionStatisticsCharts.forPage(statistics, monthLabel),
      monthLabel,
      fiscalYearLabel: (year: number | string) => WardCalendar.fiscalYearLabel(Number(year)),
      percentOf: OpinionStatisticsCharts.percentOf,
      count: OpinionStatisticsCharts.count,
      staffScope: !scope.seesAll,
      asOfLabel: WardCalendar.formatEra(today),
      pageQs: OpinionStatisticsFilters.toQueryString(filters),
      listQuery: OpinionStatisticsFilters.listQuery(filters),
      overdueListQuery: OpinionStatisticsFilters.listQuery(filters, { due: 'overdue' }),
      runningExport,
      recentExports,
      retentionDays: TASK_RETENTION_DAYS,
    })
  }
}
