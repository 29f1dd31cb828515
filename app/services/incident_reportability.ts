import { DateTime } from 'luxon'
import { WARD_ZONE } from '#services/ward_calendar'
import type { SpecialCareCategory } from '#enums/register'

/** 事故の種別: 漏えい, 滅失, 毀損, 不正アクセス, 誤送付・誤送信, その他. */
export const INCIDENT_KINDS = ['leak', 'loss', 'damage', 'unauthorised_access', 'mis_sending', 'other'] as const
export type IncidentKind = (typeof INCIDENT_KINDS)[number]

/** How the individuals concerned were notified (本人への通知, 法68条2項). */
export const NOTIFICATION_METHODS = ['phone', 'letter', 'email', 'other'] as const
export type NotificationMethod = (typeof NOTIFICATION_METHODS)[number]

/** The two reports to the Personal Information Protection Commission. */
export const PPC_STAGES = ['preliminary', 'final'] as const
export type PpcStage = (typeof PPC_STAGES)[number]

/** Why an incident must be reported to the Commission, in the order of 規則43条. */
export const REPORTABLE_REASONS = [
  'special_care',
  'financial_damage',
  'improper_purpose',
  'over_100_people',
  'ordinance_special_care',
] as const
export type ReportableReason = (typeof REPORTABLE_REASONS)[number]

/** More than this many individuals makes an incident reportable (exactly 100 does not). */
export const PEOPLE_THRESHOLD = 100

/** 速報: "promptly", about 3–5 days; warned from day 3, due on day 5. */
export const PRELIMINARY_WARN_DAYS = 3
export const PRELIMINARY_DUE_DAYS = 5

/** 確報: 30 days, or 60 days when an improper purpose is suspected. */
export const FINAL_DUE_DAYS = 30
export const FINAL_DUE_DAYS_IMPROPER = 60

/** 確報: warned this many days before it is due. */
export const FINAL_WARN_BEFORE_DAYS = 7

/** What the decision rests on. */
export interface IncidentFacts {
  /** specialCareCategory of every data item involved (null for ordinary items). */
  specialCareCategories: ReadonlyArray<SpecialCareCategory | null>
  /** null when the number of individuals is not known yet. */
  peopleAffected: number | null
  financialDamageRisk: boolean
  improperPurposeSuspected: boolean
}

export interface Reportability {
  reportable: boolean
  reasons: ReportableReason[]
  /** The number of individuals is unknown: it may still exceed 100 (おそれ). */
  peopleUnknown: boolean
}

/** Calendar dates (start of day, ward zone). */
export interface IncidentDeadlines {
  preliminaryWarnOn: DateTime
  preliminaryDueOn: DateTime
  finalWarnOn: DateTime
  finalDueOn: DateTime
  finalDays: number
}

/** sent: on time; sent_late: after the due date; overdue: not sent and past due. */
export type DeadlineStatus = 'sent' | 'sent_late' | 'overdue' | 'due_soon' | 'pending'

export interface DeadlineTrack {
  warnOn: DateTime
  dueOn: DateTime
  sentAt: DateTime | null
  status: DeadlineStatus
}

/** What an incident report records about its submissions. */
export interface SubmissionState {
  discoveredAt: DateTime
  reportable: boolean
  improperPurposeSuspected: boolean
  ppcPreliminarySentAt: DateTime | null
  ppcFinalSentAt: DateTime | null
}

export interface IncidentTrack {
  preliminary: DeadlineTrack
  final: DeadlineTrack
  /** The earliest deadline still open, for sorting and the overdue filter. */
  nextDueOn: DateTime | null
}

/**
 * Whether a leak, loss or damage (漏えい等) must be reported to the Personal
 * Information Protection Commission (法68条1項, 規則43条), and by when. The
 * clock starts when the incident is discovered; dates are the ward's.
 */
export default class IncidentReportability {
  /** The reportable cases that apply, in the order of 規則43条. */
  static decide(facts: IncidentFacts): Reportability {
    const categories = facts.specialCareCategories.filter((category) => category !== null)
    const applies: Record<ReportableReason, boolean> = {
      special_care: categories.some((category) => category !== 'ordinance'),
      financial_damage: facts.financialDamageRisk,
      improper_purpose: facts.improperPurposeSuspected,
      over_100_people: facts.peopleAffected !== null && facts.peopleAffected > PEOPLE_THRESHOLD,
      ordinance_special_care: categories.includes('ordinance'),
    }
    const reasons = REPORTABLE_REASONS.filter((reason) => applies[reason])
    return { reportable: reasons.length > 0, reasons, peopleUnknown: facts.peopleAffected === null }
  }

  /** 速報 and 確報 due dates, counted in calendar days from the day of discovery. */
  static deadlines(discoveredAt: DateTime, improperPurposeSuspected: boolean): IncidentDeadlines {
    const day = this.#wardDay(discoveredAt)
    const finalDays = improperPurposeSuspected ? FINAL_DUE_DAYS_IMPROPER : FINAL_DUE_DAYS
    const finalDueOn = day.plus({ days: finalDays })
    return {
      preliminaryWarnOn: day.plus({ days: PRELIMINARY_WARN_DAYS }),
      preliminaryDueOn: day.plus({ days: PRELIMINARY_DUE_DAYS }),
      finalWarnOn: finalDueOn.minus({ days: FINAL_WARN_BEFORE_DAYS }),
      finalDueOn,
      finalDays,
    }
  }

  /** Where one deadline stands on `now`; a due date is met until the end of that day. */
  static statusOf(warnOn: DateTime, dueOn: DateTime, sentAt: DateTime | null, now: DateTime): DeadlineStatus {
    if (sentAt) return this.#wardDay(sentAt) > dueOn ? 'sent_late' : 'sent'
    const today = this.#wardDay(now)
    if (today > dueOn) return 'overdue'
    return today >= warnOn ? 'due_soon' : 'pending'
  }

  /**
   * Both deadlines of a reportable incident (null when it is not reportable).
   * A 確報 sent without a 速報 also answers the 速報.
   */
  static track(state: SubmissionState, now: DateTime): IncidentTrack | null {
    if (!state.reportable) return null
    const due = this.deadlines(state.discoveredAt, state.improperPurposeSuspected)
    const preliminarySentAt = state.ppcPreliminarySentAt ?? state.ppcFinalSentAt
    const preliminary: DeadlineTrack = {
      warnOn: due.preliminaryWarnOn,
      dueOn: due.preliminaryDueOn,
      sentAt: preliminarySentAt,
      status: this.statusOf(due.preliminaryWarnOn, due.preliminaryDueOn, preliminarySentAt, now),
    }
    const final: DeadlineTrack = {
      warnOn: due.finalWarnOn,
      dueOn: due.finalDueOn,
      sentAt: state.ppcFinalSentAt,
      status: this.statusOf(due.finalWarnOn, due.finalDueOn, state.ppcFinalSentAt, now),
    }
    const nextDueOn = !preliminary.sentAt ? preliminary.dueOn : !final.sentAt ? final.dueOn : null
    return { preliminary, final, nextDueOn }
  }

  /** The calendar day of a moment in the ward zone. */
  static #wardDay(moment: DateTime): DateTime {
    if (!moment.isValid) throw new RangeError(`Invalid DateTime: ${moment.invalidExplanation}`)
    return moment.setZone(WARD_ZONE).startOf('day')
  }
}
