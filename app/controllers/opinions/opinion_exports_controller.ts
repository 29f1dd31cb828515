import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import OpinionStatisticsPolicy from '#policies/opinions/opinion_statistics_policy'
import Clock from '#services/clock'
import OpinionExport from '#services/opinions/opinion_export'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

@inject()
export default class OpinionExportsController {
  constructor(protected clock: Clock) {}

  /**
   * The opinion CSV (no submitter data), streamed: UTF-8 with BOM, or
   * `?encoding=cp932` (unencodable characters become 〓). Same filters and
   * scoping as the statistics page.
   */
  async csv({ request, response, bouncer, auth }: HttpContext) {
    await bouncer.with(OpinionStatisticsPolicy).authorize('export')
    const user = auth.use('web').getUserOrFail()
    const today = this.clock.now().setZone(WARD_ZONE)
    const { filters } = await OpinionStatisticsFilters.parse(
      request.qs(),
      user,
      WardCalendar.fiscalYear(today)
    )
    const encoding = request.input('encoding') === 'cp932' ? 'cp932' : 'utf8'
    const year = filters.fiscalYear ?? 'all'
    response.header(
      'content-type',
      `text/csv; charset=${encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`
    )
    response.attachment(
      `opinions-${year}-${today.toISODate()}${encoding === 'cp932' ? '-sjis' : ''}.csv`
    )
    return response.stream(OpinionExport.stream(user, filters, { encoding }))
  }
}
