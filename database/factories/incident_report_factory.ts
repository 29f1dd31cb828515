import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import IncidentReport from '#models/incident_report'

/**
 * An incident report as filed: a loss discovered yesterday, three people,
 * not reportable to the Commission; merge `contractId`. Reportability and
 * deadlines are decided by SaveIncidentReport: use it (not the factory)
 * when a test is about them.
 */
export const IncidentReportFactory = factory
  .define(IncidentReport, () => {
    const discoveredAt = DateTime.now().minus({ days: 1 }).startOf('hour')
    return {
      kind: 'loss' as const,
      occurredAt: null,
      discoveredAt,
      reportedToWardAt: discoveredAt.plus({ hours: 2 }),
      peopleAffected: 3,
      peopleAffectedUnknown: false,
      summary: '書類を紛失した。',
      financialDamageRisk: false,
      improperPurposeSuspected: false,
      reportable: false,
      reportableReasons: [],
    }
  })
  .state('peopleUnknown', (report) => {
    report.peopleAffected = null
    report.peopleAffectedUnknown = true
  })
  .build()
