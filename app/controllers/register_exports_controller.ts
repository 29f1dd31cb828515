import type { HttpContext } from '@adonisjs/core/http'
import CsvExport, { type CsvColumn, type CsvRow } from '#services/csv_export'
import FileRegister, { FILE_REGISTER_COLUMNS } from '#services/file_register'
import RegisterCsv from '#services/register_csv'
import SystemPolicy from '#policies/system_policy'
import AuditLogger from '#services/audit_logger'

/**
 * CSV downloads of the register and the published file register. UTF-8 with
 * BOM by default; `?encoding=cp932` for older Excel, refused with the list of
 * characters CP932 lacks instead of writing "?".
 */
export default class RegisterExportsController {
  async systems(ctx: HttpContext) {
    await ctx.bouncer.with(SystemPolicy).authorize('viewAny')
    const visible = await ctx.auth.use('web').getUserOrFail().visibleDepartmentIds()
    const rows = await RegisterCsv.systemRows(visible)
    await AuditLogger.record({ action: 'system.export', details: { rows: rows.length } })
    return this.#send(ctx, 'systems', RegisterCsv.SYSTEM_COLUMNS, rows)
  }

  async dataItems(ctx: HttpContext) {
    await ctx.bouncer.with(SystemPolicy).authorize('viewAny')
    const visible = await ctx.auth.use('web').getUserOrFail().visibleDepartmentIds()
    const rows = await RegisterCsv.dataItemRows(visible)
    await AuditLogger.record({ action: 'data_item.export', details: { rows: rows.length } })
    return this.#send(ctx, 'data-items', RegisterCsv.DATA_ITEM_COLUMNS, rows)
  }

  /** 個人情報ファイル簿: public page. */
  async fileRegister({ view }: HttpContext) {
    return view.render('pages/file_register/index', { entries: await FileRegister.entries(), columns: FILE_REGISTER_COLUMNS })
  }

  async fileRegisterCsv(ctx: HttpContext) {
    const entries = await FileRegister.entries()
    return this.#send(ctx, 'file-register', FILE_REGISTER_COLUMNS, entries as unknown as CsvRow[])
  }

  async #send({ request, response, view }: HttpContext, name: string, columns: CsvColumn[], rows: CsvRow[]) {
    const encoding = request.input('encoding') === 'cp932' ? 'cp932' : 'utf8'
    if (encoding === 'cp932') {
      const problem = await CsvExport.check(columns, rows)
      if (problem) {
        response.status(422)
        return view.render('pages/errors/csv_encoding', { problem, utf8Url: request.url() })
      }
    }
    const date = new Date().toISOString().slice(0, 10)
    response.header('content-type', `text/csv; charset=${encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`)
    response.attachment(`${name}-${date}${encoding === 'cp932' ? '-sjis' : ''}.csv`)
    return response.stream(CsvExport.stream(columns, rows, { encoding }))
  }
}
