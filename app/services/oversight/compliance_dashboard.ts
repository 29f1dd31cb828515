import { inject } from '@adonisjs/core'
import Department from '#models/department'
import OversightDuty from '#models/oversight_duty'
import Clock from '#services/clock'
import ComplianceMatrix from '#services/oversight/compliance_matrix'
import OversightReport from '#services/oversight/oversight_status_pdf'
import PdfRenderer from '#services/pdf_renderer'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { jaText } from '#services/ja_text'
import type OversightScope from '#builders/oversight_scope'

export interface DashboardInput {
  fiscalYear?: number
  departmentId?: number
  overdueOnly?: boolean
}

/**
 * The compliance dashboard, its CSV and the yearly oversight report: the
 * matrix of the visible departments (OversightScope) for a fiscal year
 * (this one by default), optionally one department and below.
 */
@inject()
export default class ComplianceDashboard {
  constructor(private clock: Clock) {}

  async matrix(scope: OversightScope, input: DashboardInput) {
    const today = this.clock.now().setZone(WARD_ZONE)
    const fiscalYear = input.fiscalYear ?? WardCalendar.fiscalYear(today)
    const { departmentId, departmentIds } = await scope.dashboardDepartments(input.departmentId)
    const matrix = await ComplianceMatrix.build(fiscalYear, departmentIds, today)
    const rows = matrix.filter((row) => !input.overdueOnly || row.overdue)
    const departments = await scope.departments()
    return {
      rows,
      departments,
      filters: { fiscalYear, departmentId, overdueOnly: input.overdueOnly ?? false },
    }
  }

  /** The yearly oversight report (PDF) of the chosen department, or of every visible one. */
  async report(scope: OversightScope, input: DashboardInput) {
    const { rows, filters } = await this.matrix(scope, input)
    const department = filters.departmentId
      ? await Department.findOrFail(filters.departmentId)
      : null
    const pdf = await PdfRenderer.render(
      OversightReport.definition({
        fiscalYearLabel: WardCalendar.fiscalYearLabel(filters.fiscalYear),
        department: department?.name ?? jaText('oversight.report_all_departments'),
        generatedOn: WardCalendar.formatEra(this.clock.now()),
        rows,
      })
    )
    return { pdf, filters }
  }

  /** A duty (the policy reads its contract's department itself). */
  static duty(id: number) {
    return OversightDuty.findOrFail(id)
  }
}
