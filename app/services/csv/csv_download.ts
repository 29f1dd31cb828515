import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import CsvExport, { type CsvColumn, type CsvRow } from '#services/csv/csv_export'
import Clock from '#services/clock'
import WardCalendar from '#services/ward_calendar'

/**
 * Answers a request with a CSV download: UTF-8 with BOM by default,
 * `?encoding=cp932` for older Excel. Characters CP932 lacks are listed on a
 * 422 page before anything is sent, instead of failing mid-download. The
 * file is named `<name>-<today in the ward, yyyy-MM-dd>[-sjis].csv`.
 */
export default async function sendCsv(
  { request, response, view }: HttpContext,
  name: string,
  columns: CsvColumn[],
  rows: CsvRow[]
) {
  const encoding = request.input('encoding') === 'cp932' ? 'cp932' : 'utf8'
  if (encoding === 'cp932') {
    const problem = await CsvExport.check(columns, rows)
    if (problem) {
      response.status(422)
      return view.render('pages/errors/csv_encoding', { problem, utf8Url: request.url() })
    }
  }
  const clock = await app.container.make(Clock)
  const date = WardCalendar.formatIso(clock.now())
  response.header(
    'content-type',
    `text/csv; charset=${encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`
  )
  response.attachment(`${name}-${date}${encoding === 'cp932' ? '-sjis' : ''}.csv`)
  return response.stream(CsvExport.stream(columns, rows, { encoding }))
}
