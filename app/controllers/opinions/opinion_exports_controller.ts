import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import StartBackgroundTask from '#actions/tasks/start_background_task'
import ExportOpinionsJob, { type OpinionExportParams } from '#jobs/opinions/export_opinions_job'
import OpinionStatisticsPolicy from '#policies/opinions/opinion_statistics_policy'
import Clock from '#services/clock'
import OpinionExport from '#services/opinions/opinion_export'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

@inject()
export default class OpinionExportsController {
  constructor(protected clock: Clock) {}

  /**
   * Starts the opinion CSV (no submitter data) as a background task: UTF-8 with BOM, or
   * `encoding=cp932` (unencodable characters become 〓). Same filters and scoping as the
   * statistics page. The browser goes to the task's page (progress, then the download);
   * JSON clients get 202 with the task's addresses.
   */
  async store({ request, response, bouncer, auth }: HttpContext) {
    await bouncer.with(OpinionStatisticsPolicy).authorize('export')
    const user = auth.use('web').getUserOrFail()
    const today = this.clock.now().setZone(WARD_ZONE)
    const { filters } = await OpinionStatisticsFilters.parse(
      request.all(),
      user,
      WardCalendar.fiscalYear(today)
    )
    const encoding = request.input('encoding') === 'cp932' ? 'cp932' : 'utf8'
    const params: OpinionExportParams = {
      filters: OpinionStatisticsFilters.toQueryString(filters),
      encoding,
      contentType: OpinionExport.contentType(encoding),
    }
    const task = await new StartBackgroundTask().handle(
      user,
      'opinion_export',
      params,
      ExportOpinionsJob
    )
    if (request.accepts(['html', 'json']) === 'json') {
      return response.status(202).send({
        task: {
          id: task.id,
          url: router.makeUrl('tasks.show', { id: task.id }),
          progressUrl: router.makeUrl('tasks.progress', { id: task.id }),
        },
      })
    }
    return response.redirect().toRoute('tasks.show', { id: task.id })
  }

  /**
   * The former streamed CSV address (bookmarks): no request writes the CSV any more, so it
   * leads to the statistics page with the same filters, where the CSV is made.
   */
  async legacy({ request, response }: HttpContext) {
    const filters = { ...request.qs() }
    delete filters.encoding
    return response.redirect().toRoute('opinion_statistics.show', {}, { qs: filters })
  }
}
