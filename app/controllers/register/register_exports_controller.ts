import type { HttpContext } from '@adonisjs/core/http'
import type { CsvRow } from '#services/csv/csv_export'
import sendCsv from '#services/csv/csv_download'
import FileRegister, { fileRegisterColumns } from '#services/register/file_register'
import RegisterCsv from '#services/register/register_csv'
import SystemPolicy from '#policies/register/system_policy'
import RegisterScope from '#builders/register_scope'

/**
 * CSV downloads of the register and the published file register. UTF-8 with
 * BOM by default; `?encoding=cp932` for older Excel, refused with the list of
 * characters CP932 lacks instead of writing "?".
 */
export default class RegisterExportsController {
  async systems(ctx: HttpContext) {
    await ctx.bouncer.with(SystemPolicy).authorize('viewAny')
    const rows = await RegisterCsv.systemRows(
      await RegisterScope.for(ctx.auth.use('web').getUserOrFail())
    )
    await ctx.auditLog.record({ action: 'system.export', details: { rows: rows.length } })
    return sendCsv(ctx, 'systems', RegisterCsv.systemColumns(), rows)
  }

  async dataItems(ctx: HttpContext) {
    await ctx.bouncer.with(SystemPolicy).authorize('viewAny')
    const rows = await RegisterCsv.dataItemRows(
      await RegisterScope.for(ctx.auth.use('web').getUserOrFail())
    )
    await ctx.auditLog.record({ action: 'data_item.export', details: { rows: rows.length } })
    return sendCsv(ctx, 'data-items', RegisterCsv.dataItemColumns(), rows)
  }

  /**
   * 個人情報ファイル簿: public page. Signed-in ward staff also see which of
   * their systems are withheld for want of a council approval.
   */
  async fileRegister({ view, auth, bouncer }: HttpContext) {
    const { entries, withheld } = await FileRegister.build()
    let shownWithheld: typeof withheld = []
    const user = auth.use('web').user
    if (user && (await bouncer.with(SystemPolicy).allows('viewAny'))) {
      const scope = await RegisterScope.for(user)
      shownWithheld = withheld.filter((system) => scope.includesDepartment(system.departmentId))
    }
    return view.render('pages/register/file_register/index', {
      entries,
      withheld: shownWithheld,
      columns: fileRegisterColumns(),
    })
  }

  async fileRegisterCsv(ctx: HttpContext) {
    const entries = await FileRegister.entries()
    return sendCsv(ctx, 'file-register', fileRegisterColumns(), entries as unknown as CsvRow[])
  }
}
