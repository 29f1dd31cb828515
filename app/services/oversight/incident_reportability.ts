import { DateTime } from 'luxon'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type { SpecialCareCategory } from '#enums/register'

/** 事故の種別: 漏えい, 滅失, 毀損, 不正アクセス, 誤送付・誤送信, その他. */
export const INCIDENT_KINDS = [
  'leak',
  'loss',
  'damage',
  'unauthorised_access',
  'mis_sending',
  'other',
] as const
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

/**
 * 速報: "promptly" (速やかに), about 3–5 days (概ね3～5日以内); warned 3 days
 * and due 5 days after the day of discovery. A target, not moved by closed
 * days.
 */
export const PRELIMINARY_WARN_DAYS = 3
export const PRELIMINARY_DUE_DAYS = 5

/**
 * 確報: the 30th day, or the 60th when an improper purpose is suspected,
 * counting the day of discovery as day 1 (see deadlines()).
 */
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
  /** The finalDays-th day counting the day of discovery as day 1 (before a closed day moves it). */
  finalLastDay: DateTime
  /** finalLastDay is a closed day: finalDueOn is the next open day. */
  finalMoved: boolean
}

/** How the 確報 due date was counted, to show beside it. */
export interface FinalBasis {
  days: number
  lastDay: DateTime
  moved: boolean
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
  finalBasis: FinalBasis
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

  /**
   * 速報 and 確報 due dates from the day of discovery (the ward's date).
   *
   * 確報: 個人情報の保護に関する法律についてのガイドライン（通則編）
   * 3-5-3-4「確報（規則第8条第2項関係）」: the 確報 is due within 30 days,
   * or 60 days when the leak may have been made for an improper purpose, of
   * learning of the situation (報告対象事態を知った時点, the same starting
   * point as the 速報, 3-5-3-3). As the guideline is commonly read, the day
   * of discovery is day 1: the due date is the 30th (60th) day counting that
   * day, i.e. discovery + 29 (59) days; closed days inside the period count.
   * A 30th (60th) day that is a closed day (Saturday, Sunday, a holiday of
   * the 国民の祝日に関する法律, 12/29–1/3) moves to the next open day (the
   * usual reading of the guideline's note, in line with 行政機関の休日に関する
   * 法律 1条・2条, which move a deadline before the administration that falls
   * on such a day to the next day). Discovery + 30 days would be one day late.
   * Sources consulted: businesslawyers.jp/practices/1433 (確報: 発覚日から
   * 30日以内, 60日以内), qiita.com/tetz1/items/9795719757154b99855b (the
   * guideline's section 3-5-3-4), shugiin.go.jp (行政機関の休日に関する法律,
   * 昭和63年法律第91号, 1条・2条). The guideline's own wording of the day-1
   * count and of the note was not available; check it on ppc.go.jp.
   */
  static deadlines(discoveredAt: DateTime, improperPurposeSuspected: boolean): IncidentDeadlines {
    const day = this.#wardDay(discoveredAt)
    const finalDays = improperPurposeSuspected ? FINAL_DUE_DAYS_IMPROPER : FINAL_DUE_DAYS
    const finalLastDay = day.plus({ days: finalDays - 1 })
    const finalDueOn = WardCalendar.openDayOnOrAfter(finalLastDay)
    return {
      preliminaryWarnOn: day.plus({ days: PRELIMINARY_WARN_DAYS }),
      preliminaryDueOn: day.plus({ days: PRELIMINARY_DUE_DAYS }),
      finalWarnOn: finalDueOn.minus({ days: FINAL_WARN_BEFORE_DAYS }),
      finalDueOn,
      finalDays,
      finalLastDay,
      finalMoved: !finalDueOn.hasSame(finalLastDay, 'day'),
    }
  }

  /** Where one deadline stands on `now`; a due date is met until the end of that day. */
  static statusOf(
    warnOn: DateTime,
    dueOn: DateTime,
    sentAt: DateTime | null,
    now: DateTime
  ): DeadlineStatus {
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
    const finalBasis = { days: due.finalDays, lastDay: due.finalLastDay, moved: due.finalMoved }
    return { preliminary, final, nextDueOn, finalBasis }
  }

  /** The calendar day of a moment in the ward zone. */
  static #wardDay(moment: DateTime): DateTime {
    if (!moment.isValid) throw new RangeError(`Invalid DateTime: ${moment.invalidExplanation}`)
    return moment.setZone(WARD_ZONE).startOf('day')
  }
}
