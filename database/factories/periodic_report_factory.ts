import { DateTime } from 'luxon'
import { randomUUID } from 'node:crypto'
import factory from '@adonisjs/lucid/factories'
import PeriodicReport from '#models/periodic_report'

/** A periodic report with figures and no file; merge `contractId` and `period`. */
export const PeriodicReportFactory = factory
  .define(PeriodicReport, () => ({
    period: DateTime.now().minus({ months: 1 }).toFormat('yyyy-MM'),
    subscribers: 10,
    deliveries: null,
    notes: null,
    storageKey: null,
    originalName: null,
    size: null,
    submittedOn: DateTime.now().startOf('day'),
  }))
  .state('withFile', (report) => {
    report.storageKey = `periodic-reports/${randomUUID()}.pdf`
    report.originalName = 'report.pdf'
    report.size = 1024
  })
  .build()
