import type { Infer } from '@vinejs/vine/types'
import { inject } from '@adonisjs/core'
import Contract from '#models/contract'
import IncidentReport from '#models/incident_report'
import Clock from '#services/clock'
import IncidentReportability from '#services/oversight/incident_reportability'
import WardCalendar from '#services/ward_calendar'
import type OversightScope from '#builders/oversight_scope'
import type { incidentSearchValidator } from '#validators/oversight/incident'

export type IncidentFilters = Infer<typeof incidentSearchValidator>

/**
 * What the incident report pages read: the scoped list with its filters
 * and deadlines, the contracts a report may be filed for, one report or
 * contract with what the form and the page show.
 */
@inject()
export default class IncidentReportQueries {
  constructor(private clock: Clock) {}

  /**
   * One page of the visible reports, filterable to reportable or overdue
   * ones, sortable by the next Commission deadline; with each report's
   * deadline track.
   */
  async list(scope: OversightScope, filters: IncidentFilters, page: number) {
    const now = this.clock.now()
    const today = WardCalendar.formatIso(now)
    const reports = await scope
      .incidentReports()
      .if(filters.reportable === 'yes', (query) => query.where('reportable', true))
      .if(filters.reportable === 'no', (query) => query.where('reportable', false))
      .if(filters.overdue, (query) => query.where('nextDueOn', '<', today))
      .preload('contract', (contract) =>
        contract.preload('contractor').preload('system', (system) => system.preload('department'))
      )
      .if(filters.sort === 'deadline', (query) =>
        query.orderByRaw('next_due_on is null').orderBy('nextDueOn', 'asc')
      )
      .orderBy('discoveredAt', 'desc')
      .orderBy('id', 'desc')
      .paginate(page, 50)
    reports.baseUrl('/incidents').queryString(filters)
    const tracks = new Map(
      reports.all().map((report) => [report.id, IncidentReportability.track(report, now)])
    )
    return { reports, tracks }
  }

  /** The visible contracts with a contractor, candidates for a new report. */
  candidates(scope: OversightScope) {
    return scope
      .contracts()
      .whereNotNull('contractorId')
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('system', (system) => system.preload('department'))
      .orderBy('systemId')
      .orderBy('id')
  }

  /** A report with its contract, the parties and the system's data items. */
  report(id: number) {
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

  /** The items and the reporter (none once the reporter's account is gone), for the report's page. */
  async details(report: IncidentReport) {
    await report.load((loader) =>
      loader.load('items', (items) => items.orderBy('id')).load('reportedBy')
    )
    return report
  }

  /** The items involved, for the edit form. */
  async formItems(report: IncidentReport) {
    await report.load('items')
    return report
  }

  /** A contract with its parties and the system's data items, for the form. */
  contract(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('system', (system) => system.preload('department').preload('dataItems'))
      .firstOrFail()
  }
}
