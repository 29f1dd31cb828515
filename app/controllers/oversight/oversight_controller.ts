import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'
import { inject } from '@adonisjs/core'
import OversightScope from '#builders/oversight_scope'
import OversightPolicy from '#policies/oversight/oversight_policy'
import ComplianceDashboard from '#services/oversight/compliance_dashboard'
import ComplianceMatrix, { MATRIX_KINDS } from '#services/oversight/compliance_matrix'
import DutyLedger from '#services/oversight/duty_ledger'
import sendCsv from '#services/csv/csv_download'
import { dutyWaiverValidator, oversightFilterValidator } from '#validators/oversight/dashboard'

@inject()
export default class OversightController {
  constructor(private dashboards: ComplianceDashboard) {}

  /** Contracts × duties for a fiscal year, overdue highlighted, per department. */
  async dashboard(ctx: HttpContext) {
    const { rows, filters, departments } = await this.dashboards.matrix(...(await this.#input(ctx)))
    return ctx.view.render('pages/oversight/dashboard', {
      rows,
      filters,
      departments,
      kinds: MATRIX_KINDS,
    })
  }

  async csv(ctx: HttpContext) {
    const { rows, filters } = await this.dashboards.matrix(...(await this.#input(ctx)))
    return sendCsv(
      ctx,
      `oversight-${filters.fiscalYear}`,
      ComplianceMatrix.csvColumns(),
      ComplianceMatrix.csvRows(rows)
    )
  }

  /** The yearly oversight report of one department as a PDF. */
  async report(ctx: HttpContext) {
    const { pdf, filters } = await this.dashboards.report(...(await this.#input(ctx)))
    ctx.response.header('content-type', 'application/pdf')
    ctx.response.header(
      'content-disposition',
      `inline; filename="oversight-${filters.fiscalYear}.pdf"`
    )
    return ctx.response.send(pdf)
  }

  /** Waives a duty with a reason (kept on the duty and in the audit log). */
  async waive({ params, request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const duty = await ComplianceDashboard.duty(params.id)
    await bouncer.with(OversightPolicy).authorize('waive', duty)
    const { reason } = await request.validateUsing(dutyWaiverValidator)
    if (!duty.isOutstanding) {
      throw new DomainError(
        duty.state === 'submitted' ? 'oversight.awaiting_review' : 'oversight.not_open',
        {
          keepInput: false,
          redirectTo: { route: 'contracts.show', params: { id: duty.contractId } },
        }
      )
    }
    await DutyLedger.waive(duty, reason, auth.use('web').getUserOrFail().id, auditLog)
    session.flash('success', i18n.t('oversight.waived'))
    return response.redirect().toRoute('contracts.show', { id: duty.contractId })
  }

  /** Authorises the dashboard and reads its filters and the user's scope. */
  async #input({ request, bouncer, auth }: HttpContext) {
    await bouncer.with(OversightPolicy).authorize('viewDashboard')
    const input = await request.validateUsing(oversightFilterValidator, { data: request.qs() })
    return [await OversightScope.for(auth.use('web').getUserOrFail()), input] as const
  }
}
