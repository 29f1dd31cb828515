import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { filledQueryString } from '#validators/query_string'
import OversightScope from '#builders/oversight_scope'
import IncidentReport from '#models/incident_report'
import IncidentReportPolicy from '#policies/oversight/incident_report_policy'
import SaveIncidentReport from '#actions/oversight/save_incident_report'
import RecordPpcReport from '#actions/oversight/record_ppc_report'
import RecordIndividualsNotification from '#actions/oversight/record_individuals_notification'
import Clock from '#services/clock'
import IncidentReportability, {
  PRELIMINARY_DUE_DAYS,
} from '#services/oversight/incident_reportability'
import IncidentReportQueries from '#services/oversight/incident_report_queries'
import WardCalendar from '#services/ward_calendar'
import {
  incidentReportValidator,
  incidentSearchValidator,
  individualsNotificationValidator,
  ppcReportValidator,
} from '#validators/oversight/incident'

/** Refusals of the actions are DomainErrors: the form comes back with the input and the message on the field. */
@inject()
export default class IncidentReportsController {
  constructor(
    private queries: IncidentReportQueries,
    private clock: Clock
  ) {}

  /**
   * Incident reports the user may see (OversightScope): a contractor user
   * those of its own contracts and subcontracts, ward staff those of their
   * departments' systems. Filterable to reportable or overdue ones, sortable
   * by the next Commission deadline.
   */
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(IncidentReportPolicy).authorize('viewAny')
    const filters = await request.validateUsing(incidentSearchValidator, {
      data: filledQueryString(request.qs()),
    })
    const scope = await OversightScope.for(auth.use('web').getUserOrFail())
    const { reports, tracks } = await this.queries.list(
      scope,
      filters,
      Number(request.input('page', 1)) || 1
    )
    return view.render('pages/oversight/incidents/index', { reports, tracks, filters })
  }

  /** Choosing the contract a new report is about. */
  async choose({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(IncidentReportPolicy).authorize('viewAny')
    const scope = await OversightScope.for(auth.use('web').getUserOrFail())
    const candidates = await this.queries.candidates(scope)
    // Read through the scope: the policy need not ask again whether each is visible.
    scope.rememberVisible(candidates)
    const contracts = []
    for (const contract of candidates) {
      if (await bouncer.with(IncidentReportPolicy).allows('fileFor', contract))
        contracts.push(contract)
    }
    return view.render('pages/oversight/incidents/choose', { contracts })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await this.queries.contract(params.contractId)
    await bouncer.with(IncidentReportPolicy).authorize('fileFor', contract)
    const values = { reportedToWardAt: WardCalendar.toWallClock(this.clock.now()) }
    return view.render('pages/oversight/incidents/form', { contract, report: null, values })
  }

  @inject()
  async store(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    save: SaveIncidentReport
  ) {
    const contract = await this.queries.contract(params.contractId)
    await bouncer.with(IncidentReportPolicy).authorize('fileFor', contract)
    const input = await request.validateUsing(incidentReportValidator)
    const report = await save.handle(
      new IncidentReport(),
      contract,
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('incidents.saved'))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  /** The report in the order of the Commission's form, with the reportability and deadlines. */
  async show({ params, view, bouncer, auditLog }: HttpContext) {
    const report = await this.queries.report(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('view', report)
    await this.queries.details(report)
    const now = this.clock.now()
    await auditLog.record({ action: 'incident_report.view', subject: report })
    return view.render('pages/oversight/incidents/show', {
      report,
      track: IncidentReportability.track(report, now),
      preliminaryDays: PRELIMINARY_DUE_DAYS,
      values: {
        ppcSentAt: WardCalendar.toWallClock(now),
        notifiedAt: WardCalendar.toWallClock(report.individualsNotifiedAt ?? now),
      },
    })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const report = await this.queries.report(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('update', report)
    await this.queries.formItems(report)
    const values = {
      occurredAt: WardCalendar.toWallClock(report.occurredAt),
      discoveredAt: WardCalendar.toWallClock(report.discoveredAt),
      reportedToWardAt: WardCalendar.toWallClock(report.reportedToWardAt),
    }
    return view.render('pages/oversight/incidents/form', {
      contract: report.contract,
      report,
      values,
    })
  }

  @inject()
  async update(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    save: SaveIncidentReport
  ) {
    const report = await this.queries.report(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('update', report)
    const input = await request.validateUsing(incidentReportValidator)
    await save.handle(report, report.contract, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('incidents.saved'))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  /** 速報 or 確報 sent to the Personal Information Protection Commission. */
  @inject()
  async ppcReport(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    record: RecordPpcReport
  ) {
    const report = await this.queries.report(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('manage', report)
    const input = await request.validateUsing(ppcReportValidator)
    await record.handle(report, input)
    session.flash('success', i18n.t(`incidents.ppc.recorded_${input.ppcStage}`))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  /** 本人への通知 */
  @inject()
  async notification(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    record: RecordIndividualsNotification
  ) {
    const report = await this.queries.report(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('notify', report)
    const input = await request.validateUsing(individualsNotificationValidator)
    await record.handle(report, input)
    session.flash('success', i18n.t('incidents.notification.recorded'))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }
}
