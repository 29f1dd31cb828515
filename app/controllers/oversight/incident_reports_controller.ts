import type { HttpContext } from '@adonisjs/core/http'
import { filledQueryString } from '#validators/query_string'
import { DateTime } from 'luxon'
import type { ChainableContract } from '@adonisjs/lucid/types/querybuilder'
import Contract from '#models/contract'
import IncidentReport from '#models/incident_report'
import type User from '#models/user'
import IncidentReportPolicy from '#policies/oversight/incident_report_policy'
import SaveIncidentReport from '#actions/oversight/save_incident_report'
import RecordPpcReport from '#actions/oversight/record_ppc_report'
import RecordIndividualsNotification from '#actions/oversight/record_individuals_notification'
import AuditLogger from '#services/audit_logger'
import IncidentReportability, { PRELIMINARY_DUE_DAYS } from '#services/oversight/incident_reportability'
import WardCalendar from '#services/ward_calendar'
import {
  incidentReportValidator,
  incidentSearchValidator,
  individualsNotificationValidator,
  ppcReportValidator,
} from '#validators/oversight/incident'

export default class IncidentReportsController {
  /**
   * Incident reports the user may see: a contractor user those of its own
   * contracts and subcontracts, ward staff those of their departments'
   * systems. Filterable to reportable or overdue ones, sortable by the next
   * Commission deadline.
   */
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(IncidentReportPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const filters = await incidentSearchValidator.validate(filledQueryString(request.qs()))
    const today = WardCalendar.formatIso(DateTime.now())
    const visible = await user.visibleDepartmentIds()
    const reports = await IncidentReport.query()
      .whereIn('contractId', (sub) => this.#visibleContractIds(sub, user, visible))
      .if(filters.reportable === 'yes', (query) => query.where('reportable', true))
      .if(filters.reportable === 'no', (query) => query.where('reportable', false))
      .if(filters.overdue, (query) => query.where('nextDueOn', '<', today))
      .preload('contract', (contract) => contract.preload('contractor').preload('system', (system) => system.preload('department')))
      .if(filters.sort === 'deadline', (query) => query.orderByRaw('next_due_on is null').orderBy('nextDueOn', 'asc'))
      .orderBy('discoveredAt', 'desc')
      .orderBy('id', 'desc')
      .paginate(Number(request.input('page', 1)) || 1, 50)
    reports.baseUrl('/incidents').queryString(filters)
    const now = DateTime.now()
    const tracks = new Map(reports.all().map((report) => [report.id, IncidentReportability.track(report, now)]))
    return view.render('pages/oversight/incidents/index', { reports, tracks, filters })
  }

  /** Choosing the contract a new report is about. */
  async choose({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(IncidentReportPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const visible = await user.visibleDepartmentIds()
    const candidates = await Contract.query()
      .whereIn('id', (sub) => this.#visibleContractIds(sub, user, visible))
      .whereNotNull('contractorId')
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('system', (system) => system.preload('department'))
      .orderBy('systemId')
      .orderBy('id')
    const contracts = []
    for (const contract of candidates) {
      if (await bouncer.with(IncidentReportPolicy).allows('fileFor', contract)) contracts.push(contract)
    }
    return view.render('pages/oversight/incidents/choose', { contracts })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(IncidentReportPolicy).authorize('fileFor', contract)
    const values = { reportedToWardAt: WardCalendar.toWallClock(DateTime.now()) }
    return view.render('pages/oversight/incidents/form', { contract, report: null, values })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(IncidentReportPolicy).authorize('fileFor', contract)
    const input = await request.validateUsing(incidentReportValidator)
    const result = await new SaveIncidentReport().handle(new IncidentReport(), contract, input, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t('incidents.saved'))
    return response.redirect().toRoute('incidents.show', { id: result.report.id })
  }

  /** The report in the order of the Commission's form, with the reportability and deadlines. */
  async show({ params, view, bouncer }: HttpContext) {
    const report = await this.#load(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('view', report)
    await report.load((loader) => loader.load('items', (items) => items.orderBy('id')).load('reportedBy'))
    const now = DateTime.now()
    await AuditLogger.record({ action: 'incident_report.view', subject: report })
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
    const report = await this.#load(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('update', report)
    await report.load('items')
    const values = {
      occurredAt: WardCalendar.toWallClock(report.occurredAt),
      discoveredAt: WardCalendar.toWallClock(report.discoveredAt),
      reportedToWardAt: WardCalendar.toWallClock(report.reportedToWardAt),
    }
    return view.render('pages/oversight/incidents/form', { contract: report.contract, report, values })
  }

  async update({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const report = await this.#load(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('update', report)
    const input = await request.validateUsing(incidentReportValidator)
    const result = await new SaveIncidentReport().handle(report, report.contract, input, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t('incidents.saved'))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  /** 速報 or 確報 sent to the Personal Information Protection Commission. */
  async ppcReport({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const report = await this.#load(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('manage', report)
    const input = await request.validateUsing(ppcReportValidator)
    const result = await new RecordPpcReport().handle(report, input)
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t(`incidents.ppc.recorded_${input.ppcStage}`))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  /** 本人への通知 */
  async notification({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const report = await this.#load(params.id)
    await bouncer.with(IncidentReportPolicy).authorize('notify', report)
    const input = await request.validateUsing(individualsNotificationValidator)
    const result = await new RecordIndividualsNotification().handle(report, input)
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t('incidents.notification.recorded'))
    return response.redirect().toRoute('incidents.show', { id: report.id })
  }

  async #load(id: number) {
    return IncidentReport.query()
      .where('id', id)
      .preload('contract', (contract) =>
        contract
          .preload('contractor')
          .preload('parent', (parent) => parent.preload('contractor'))
          .preload('system', (system) => system.preload('department').preload('dataItems'))
      )
      .firstOrFail()
  }

  async #contract(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('system', (system) => system.preload('department').preload('dataItems'))
      .firstOrFail()
  }

  /** Contracts whose reports the user may see (the same scope as the contract list). */
  #visibleContractIds(sub: ChainableContract, user: User, visible: number[] | null) {
    sub.from('contracts').select('id')
    if (user.isContractorUser) {
      const own = user.contractorId ?? 0
      sub.where((inner) =>
        inner.where('contractor_id', own).orWhereIn('parent_contract_id', (parents) => parents.from('contracts').select('id').where('contractor_id', own))
      )
    } else if (visible !== null) {
      sub.whereIn('system_id', (systems) => systems.from('personal_data_systems').select('id').whereIn('department_id', visible))
    }
  }

  /** Back to the form with a message on one field; the input is kept. */
  #back(ctx: Pick<HttpContext, 'response' | 'session' | 'i18n'>, field: string, message: string) {
    ctx.session.flashAll()
    ctx.session.flash('errors', { [field]: [ctx.i18n.t(message)] })
    return ctx.response.redirect().back()
  }
}
