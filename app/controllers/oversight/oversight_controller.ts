import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import Department from '#models/department'
import OversightDuty from '#models/oversight_duty'
import OversightPolicy from '#policies/oversight/oversight_policy'
import ComplianceMatrix, { MATRIX_KINDS } from '#services/oversight/compliance_matrix'
import DutyLedger from '#services/oversight/duty_ledger'
import sendCsv from '#services/csv/csv_download'
import PdfRenderer from '#services/pdf_renderer'
import OversightReport from '#services/oversight/oversight_status_pdf'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

const filterValidator = vine.compile(
  vine.object({
    fiscalYear: vine.number().withoutDecimals().min(2000).max(2100).optional(),
    departmentId: vine.number().optional(),
    overdueOnly: vine.boolean().optional(),
  })
)

const waiveValidator = vine.compile(vine.object({ reason: vine.string().trim().minLength(1).maxLength(2000) }))

export default class OversightController {
  /** Contracts × duties for a fiscal year, overdue highlighted, per department. */
  async dashboard(ctx: HttpContext) {
    const { view } = ctx
    const { rows, filters, departments } = await this.#matrix(ctx)
    return view.render('pages/oversight/dashboard', { rows, filters, departments, kinds: MATRIX_KINDS })
  }

  async csv(ctx: HttpContext) {
    const { rows, filters } = await this.#matrix(ctx)
    return sendCsv(ctx, `oversight-${filters.fiscalYear}`, ComplianceMatrix.csvColumns(), ComplianceMatrix.csvRows(rows))
  }

  /** The yearly oversight report of one department as a PDF. */
  async report(ctx: HttpContext) {
    const { rows, filters } = await this.#matrix(ctx)
    const department = filters.departmentId ? await Department.findOrFail(filters.departmentId) : null
    const pdf = await PdfRenderer.render(
      OversightReport.definition({
        fiscalYearLabel: WardCalendar.fiscalYearLabel(filters.fiscalYear),
        department: department?.name ?? '全所属',
        generatedOn: WardCalendar.formatEra(DateTime.now()),
        rows,
      })
    )
    ctx.response.header('content-type', 'application/pdf')
    ctx.response.header('content-disposition', `inline; filename="oversight-${filters.fiscalYear}.pdf"`)
    return ctx.response.send(pdf)
  }

  /** Waives a duty with a reason (kept on the duty and in the audit log). */
  async waive({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const duty = await OversightDuty.query().where('id', params.id).preload('contract', (c) => c.preload('system')).firstOrFail()
    await bouncer.with(OversightPolicy).authorize('waive', duty)
    const { reason } = await request.validateUsing(waiveValidator)
    if (duty.state !== 'open') {
      session.flash('stepError', i18n.t('oversight.not_open'))
    } else {
      await DutyLedger.waive(duty, reason, auth.use('web').getUserOrFail().id)
      session.flash('success', i18n.t('oversight.waived'))
    }
    return response.redirect().toRoute('contracts.show', { id: duty.contractId })
  }

  async #matrix({ request, bouncer, auth }: HttpContext) {
    await bouncer.with(OversightPolicy).authorize('viewDashboard')
    const input = await filterValidator.validate(request.qs())
    const visible = await auth.use('web').getUserOrFail().visibleDepartmentIds()
    const fiscalYear = input.fiscalYear ?? WardCalendar.fiscalYear(DateTime.now().setZone(WARD_ZONE))
    const departmentId = input.departmentId && (visible === null || visible.includes(input.departmentId)) ? input.departmentId : null
    const scope = departmentId ? await Department.subtreeIds(departmentId) : visible
    const rows = (await ComplianceMatrix.build(fiscalYear, scope)).filter((row) => !input.overdueOnly || row.overdue)
    const departments = (await Department.asTree()).filter(({ department }) => visible === null || visible.includes(department.id))
    return { rows, departments, filters: { fiscalYear, departmentId, overdueOnly: input.overdueOnly ?? false } }
  }
}
