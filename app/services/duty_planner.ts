import { DateTime } from 'luxon'
import type Contract from '#models/contract'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type { ClauseDutyKind } from '#enums/register'

export interface PlannedDuty {
  kind: ClauseDutyKind
  periodKey: string
  dueOn: DateTime
}

/** Reports are due on this day of the month after the period. */
const REPORT_DUE_DAY = 10

/**
 * Which duties a contract has, from the clauses of its special terms and its
 * own terms (period, reports asked for, subcontract status).
 *
 * Oversight is tracked from the fiscal year in which the contract was
 * registered in Daichō (or its start, if later): a contract that began in
 * 2007 does not produce nineteen "overdue" audits on the day it is entered.
 */
export default class DutyPlanner {
  /** Expects `specialTermSet.clauses` to be loaded (when a set is attached). */
  static plan(contract: Contract, today: DateTime = DateTime.now().setZone(WARD_ZONE)): PlannedDuty[] {
    // Nothing is overseen before a contractor is chosen or a subcontract is approved.
    if (contract.status === 'draft') return []
    const clauseDuties = new Set((contract.specialTermSet?.clauses ?? []).map((clause) => clause.duty).filter(Boolean))
    const start = DutyPlanner.#start(contract)
    const planned: PlannedDuty[] = []

    if (contract.isSubcontract && contract.handlesPersonalData) {
      planned.push({ kind: 'subcontract_approval', periodKey: 'approval', dueOn: start })
    }
    if (contract.status === 'pending_approval') return planned

    // Work that ended before oversight began only still owes the return / erasure.
    if (contract.endsOn && contract.endsOn < start) {
      if (clauseDuties.has('return_erasure')) {
        planned.push({ kind: 'return_erasure', periodKey: 'end', dueOn: contract.endsOn.plus({ days: contract.deletionCertificateDays }) })
      }
      return planned
    }

    if (clauseDuties.has('roster') || DutyPlanner.#asksForRoster(contract)) {
      planned.push({ kind: 'roster', periodKey: 'initial', dueOn: start })
    }
    const lastFiscalYear = Math.min(
      WardCalendar.fiscalYear(today),
      contract.endsOn ? WardCalendar.fiscalYear(contract.endsOn) : Number.POSITIVE_INFINITY
    )
    for (let year = WardCalendar.fiscalYear(start); year <= lastFiscalYear; year++) {
      const yearEnd = WardCalendar.fiscalYearRange(year).end.startOf('day')
      if (clauseDuties.has('audit')) planned.push({ kind: 'audit', periodKey: String(year), dueOn: yearEnd })
      if (clauseDuties.has('training')) planned.push({ kind: 'training', periodKey: String(year), dueOn: yearEnd })
    }
    if (clauseDuties.has('return_erasure') && contract.endsOn) {
      planned.push({ kind: 'return_erasure', periodKey: 'end', dueOn: contract.endsOn.plus({ days: contract.deletionCertificateDays }) })
    }
    if (contract.reportFrequency) planned.push(...DutyPlanner.#reports(contract, start, today))
    return planned
  }

  /** The seeds' measures say 取扱責任者及び取扱者をあらかじめ指定する: a roster is owed. */
  static #asksForRoster(contract: Contract): boolean {
    return [...contract.contractorMeasuresOperational, ...contract.contractorMeasuresSystem].some((line) =>
      /取扱責任者|取扱者|取扱うもの|取扱うオペレーター/.test(line)
    )
  }

  static #start(contract: Contract): DateTime {
    const registered = contract.createdAt.setZone(WARD_ZONE).startOf('day')
    const fiscalStart = WardCalendar.fiscalYearRange(WardCalendar.fiscalYear(registered)).start.startOf('day')
    const begins = contract.startsOn?.setZone(WARD_ZONE).startOf('day')
    return begins && begins > fiscalStart ? begins : fiscalStart
  }

  /** One report per completed month / quarter / fiscal year, due on the 10th after it. */
  static #reports(contract: Contract, start: DateTime, today: DateTime): PlannedDuty[] {
    const months = { monthly: 1, quarterly: 3, yearly: 12 }[contract.reportFrequency!]
    const end = contract.endsOn && contract.endsOn < today ? contract.endsOn : today
    const reports: PlannedDuty[] = []
    let periodStart = start.startOf('month')
    while (true) {
      const periodEnd = periodStart.plus({ months }).minus({ days: 1 })
      if (periodEnd > end) break
      reports.push({
        kind: 'periodic_report',
        periodKey: periodStart.toFormat('yyyy-MM'),
        dueOn: periodEnd.plus({ months: 1 }).set({ day: REPORT_DUE_DAY }).startOf('day'),
      })
      periodStart = periodStart.plus({ months })
    }
    return reports
  }
}
