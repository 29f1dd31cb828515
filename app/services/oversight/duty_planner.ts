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
 *
 * Duties that follow the contract itself are dated by it:
 *   - the handler roster, and a subcontract's approval, are due before work starts: on the
 *     contract's start date, whenever it was registered (the registration's fiscal year only
 *     when no start date is known);
 *   - the deletion certificate is owed after the work ends: the end of a fixed period, or
 *     the recorded end of a contract renewed year by year (a period not renewed) or of any
 *     contract terminated early (ended_on), plus the contract's number of days;
 *   - staff training is owed each fiscal year when any clause requires it: a clause whose
 *     duty is training, or any other clause marked as requiring staff training.
 */
export default class DutyPlanner {
  /** Expects `specialTermSet.clauses` to be loaded (when a set is attached). */
  static plan(
    contract: Contract,
    today: DateTime = DateTime.now().setZone(WARD_ZONE)
  ): PlannedDuty[] {
    // Nothing is overseen before a contractor is chosen or a subcontract is approved.
    if (contract.status === 'draft') return []
    const clauses = contract.specialTermSet?.clauses ?? []
    const clauseDuties = new Set(clauses.map((clause) => clause.duty).filter(Boolean))
    const trainsStaff = clauses.some(
      (clause) => clause.duty === 'training' || clause.requiresTraining
    )
    const start = DutyPlanner.#start(contract)
    const workStarts = DutyPlanner.workStart(contract) ?? start
    const workEnds = DutyPlanner.workEnd(contract)
    const planned: PlannedDuty[] = []

    // Approval before the subcontractor starts: always with personal data; otherwise when the
    // parent's special terms allow the subcontract only with the ward's consent (SaveContract
    // then leaves it pending approval).
    if (
      contract.isSubcontract &&
      (contract.handlesPersonalData ||
        contract.status === 'pending_approval' ||
        contract.approvedOn)
    ) {
      planned.push({ kind: 'subcontract_approval', periodKey: 'approval', dueOn: workStarts })
    }
    if (contract.status === 'pending_approval') return planned

    const erasure = (ends: DateTime): PlannedDuty => ({
      kind: 'return_erasure',
      periodKey: 'end',
      dueOn: ends.plus({ days: contract.deletionCertificateDays }),
    })

    // Work that ended before oversight began only still owes the return / erasure.
    if (workEnds && workEnds < start) {
      if (clauseDuties.has('return_erasure')) planned.push(erasure(workEnds))
      return planned
    }

    if (clauseDuties.has('roster') || DutyPlanner.#asksForRoster(contract)) {
      planned.push({ kind: 'roster', periodKey: 'initial', dueOn: workStarts })
    }
    const lastFiscalYear = Math.min(
      WardCalendar.fiscalYear(today),
      workEnds ? WardCalendar.fiscalYear(workEnds) : Number.POSITIVE_INFINITY
    )
    for (let year = WardCalendar.fiscalYear(start); year <= lastFiscalYear; year++) {
      const yearEnd = WardCalendar.fiscalYearRange(year).end.startOf('day')
      if (clauseDuties.has('audit'))
        planned.push({ kind: 'audit', periodKey: String(year), dueOn: yearEnd })
      if (trainsStaff) planned.push({ kind: 'training', periodKey: String(year), dueOn: yearEnd })
    }
    if (clauseDuties.has('return_erasure') && workEnds) planned.push(erasure(workEnds))
    if (contract.reportFrequency)
      planned.push(...DutyPlanner.#reports(contract, start, today, workEnds))
    return planned
  }

  /** The day work starts: the contract's start date (the 1st of its month when only the month is known). */
  static workStart(contract: Contract): DateTime | null {
    return contract.startsOn ? contract.startsOn.setZone(WARD_ZONE).startOf('day') : null
  }

  /**
   * The last day of work: the end of a fixed period, or the recorded end (a period of a
   * yearly-renewed contract that was not renewed, a termination), whichever comes first;
   * null while the work goes on (open-ended, or renewed year by year).
   */
  static workEnd(contract: Contract): DateTime | null {
    const ends = [contract.endsOn, contract.endedOn]
      .filter((date): date is DateTime => !!date)
      .map((date) => date.setZone(WARD_ZONE).startOf('day'))
    if (ends.length === 0) return null
    return ends.reduce((first, date) => (date < first ? date : first))
  }

  /** The seeds' measures say 取扱責任者及び取扱者をあらかじめ指定する: a roster is owed. */
  static #asksForRoster(contract: Contract): boolean {
    return [...contract.contractorMeasuresOperational, ...contract.contractorMeasuresSystem].some(
      (line) => /取扱責任者|取扱者|取扱うもの|取扱うオペレーター/.test(line)
    )
  }

  static #start(contract: Contract): DateTime {
    const registered = contract.createdAt.setZone(WARD_ZONE).startOf('day')
    const fiscalStart = WardCalendar.fiscalYearRange(
      WardCalendar.fiscalYear(registered)
    ).start.startOf('day')
    const begins = contract.startsOn?.setZone(WARD_ZONE).startOf('day')
    return begins && begins > fiscalStart ? begins : fiscalStart
  }

  /** One report per completed month / quarter / fiscal year, due on the 10th after it. */
  static #reports(
    contract: Contract,
    start: DateTime,
    today: DateTime,
    workEnds: DateTime | null
  ): PlannedDuty[] {
    const months = { monthly: 1, quarterly: 3, yearly: 12 }[contract.reportFrequency!]
    const end = workEnds && workEnds < today ? workEnds : today
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
