import WardCalendar from '#services/ward_calendar'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import IncidentReport from '#models/incident_report'
import IncidentReportItem from '#models/incident_report_item'
import DataItem from '#models/data_item'
import type Contract from '#models/contract'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import IncidentReportability from '#services/oversight/incident_reportability'
import OversightNotices from '#services/oversight/oversight_notices'
import type { incidentReportValidator } from '#validators/oversight/incident'
import RowBatch from '#services/row_batch'

export type IncidentReportInput = Infer<typeof incidentReportValidator>

/** A few minutes' grace for clocks that run ahead of the server's. */
const FUTURE_GRACE_MINUTES = 5

const wardTime = (value: Date | undefined) => (value ? WardCalendar.fromWallClock(value) : null)

/**
 * Files or updates an incident report of a contract. The three times must
 * follow each other (occurred ≤ discovered ≤ reported to the ward) and lie
 * in the past; the data items come from the contract's system. Whether the
 * Commission must be told, and by when, is decided again on every save.
 * Only ward staff write the ward's instructions (区の指示). Refusals are
 * DomainErrors on the field (the form comes back with its input). The
 * department and the privacy office are mailed a new report, and an update
 * that makes it reportable, with the Commission's deadlines.
 */
@inject()
export default class SaveIncidentReport {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock,
    private notices: OversightNotices
  ) {}

  async handle(
    report: IncidentReport,
    contract: Contract,
    input: IncidentReportInput,
    user: User
  ): Promise<IncidentReport> {
    const occurredAt = wardTime(input.occurredAt)
    const discoveredAt = wardTime(input.discoveredAt)!
    const reportedToWardAt = wardTime(input.reportedToWardAt)!
    const latest = this.clock.now().plus({ minutes: FUTURE_GRACE_MINUTES })
    for (const [field, moment] of [
      ['occurredAt', occurredAt],
      ['discoveredAt', discoveredAt],
      ['reportedToWardAt', reportedToWardAt],
    ] as const) {
      if (moment && moment > latest) throw new DomainError('incidents.errors.future', { field })
    }
    if (occurredAt && discoveredAt < occurredAt) {
      throw new DomainError('incidents.errors.discovered_before_occurred', {
        field: 'discoveredAt',
      })
    }
    if (reportedToWardAt < discoveredAt) {
      throw new DomainError('incidents.errors.reported_before_discovered', {
        field: 'reportedToWardAt',
      })
    }
    const peopleUnknown = input.peopleAffectedUnknown ?? false
    if (!peopleUnknown && input.peopleAffected === undefined) {
      throw new DomainError('incidents.errors.people_required', { field: 'peopleAffected' })
    }
    const itemIds = input.dataItemIds ?? []
    const items = itemIds.length
      ? await DataItem.query()
          .where('systemId', contract.systemId)
          .whereIn('id', itemIds)
          .orderBy('sortOrder')
          .orderBy('id')
      : []
    if (items.length !== itemIds.length) {
      throw new DomainError('incidents.errors.items_of_other_system', { field: 'dataItemIds' })
    }

    // Items since removed from the register stay on the report as they were.
    const removed = report.$isPersisted
      ? await IncidentReportItem.query()
          .where('incidentReportId', report.id)
          .whereNull('dataItemId')
      : []

    const peopleAffected = peopleUnknown ? null : input.peopleAffected!
    const financialDamageRisk = input.financialDamageRisk ?? false
    const improperPurposeSuspected = input.improperPurposeSuspected ?? false
    const decision = IncidentReportability.decide({
      specialCareCategories: [...items, ...removed].map((item) => item.specialCareCategory),
      peopleAffected,
      financialDamageRisk,
      improperPurposeSuspected,
    })
    const deadlines = decision.reportable
      ? IncidentReportability.deadlines(discoveredAt, improperPurposeSuspected)
      : null

    const isNew = !report.$isPersisted
    const wasReportable = !isNew && report.reportable
    await db.transaction(async (trx) => {
      report.useTransaction(trx)
      report.merge({
        contractId: contract.id,
        kind: input.kind,
        occurredAt: occurredAt?.toLocal() ?? null,
        discoveredAt: discoveredAt.toLocal(),
        reportedToWardAt: reportedToWardAt.toLocal(),
        peopleAffected,
        peopleAffectedUnknown: peopleUnknown,
        summary: input.summary,
        cause: input.cause ?? null,
        secondaryDamage: input.secondaryDamage ?? null,
        measures: input.measures ?? null,
        followUp: input.followUp ?? null,
        publication: input.publication ?? null,
        financialDamageRisk,
        improperPurposeSuspected,
        reportable: decision.reportable,
        reportableReasons: decision.reasons,
        preliminaryDueOn: deadlines?.preliminaryDueOn ?? null,
        finalDueOn: deadlines?.finalDueOn ?? null,
      })
      if (!user.isContractorUser) report.wardInstructions = input.wardInstructions ?? null
      if (isNew) report.reportedByUserId = user.id
      report.nextDueOn = IncidentReportability.track(report, this.clock.now())?.nextDueOn ?? null
      const changedFields = this.#changedFields(report)
      await report.save()
      if (await this.#syncItems(report.id, items, trx)) changedFields.push('dataItems')
      await this.auditLog.record(
        {
          action: `incident_report.${isNew ? 'create' : 'update'}`,
          subject: report,
          changedFields,
        },
        trx
      )
    })
    if (isNew) await this.notices.incident(report, user, 'filed')
    else if (report.reportable && !wasReportable)
      await this.notices.incident(report, user, 'updated')
    return report
  }

  /**
   * Names of the fields whose value really changed: a form re-sends every
   * field, and luxon values and JSON lists are new objects each time.
   */
  #changedFields(report: IncidentReport): string[] {
    const same = (a: unknown, b: unknown) => {
      if (DateTime.isDateTime(a) && DateTime.isDateTime(b)) return a.toMillis() === b.toMillis()
      return JSON.stringify(a) === JSON.stringify(b)
    }
    return Object.keys(report.$dirty).filter(
      (field) => !same(report.$dirty[field], report.$original[field])
    )
  }

  /**
   * Replaces the items involved (their name and category as they are now);
   * true when the set changed.
   */
  async #syncItems(
    reportId: number,
    items: DataItem[],
    trx: TransactionClientContract
  ): Promise<boolean> {
    const existing = await IncidentReportItem.query({ client: trx })
      .where('incidentReportId', reportId)
      .whereNotNull('dataItemId')
    const wanted = new Map(items.map((item) => [item.id, item]))
    const stale = existing.filter((link) => !wanted.has(link.dataItemId!))
    const kept = existing.filter((link) => wanted.has(link.dataItemId!))
    const fresh = items.filter((item) => !kept.some((link) => link.dataItemId === item.id))
    for (const link of kept) {
      const item = wanted.get(link.dataItemId!)!
      link.merge({ name: item.name, specialCareCategory: item.specialCareCategory })
    }
    await RowBatch.delete(IncidentReportItem, stale, trx)
    await RowBatch.update(IncidentReportItem, kept, trx)
    await RowBatch.insert(
      IncidentReportItem,
      fresh.map((item) => ({
        incidentReportId: reportId,
        dataItemId: item.id,
        name: item.name,
        specialCareCategory: item.specialCareCategory,
      })),
      trx
    )
    return stale.length + fresh.length > 0
  }
}
