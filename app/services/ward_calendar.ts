import { DateTime, IANAZone } from 'luxon'
import holidayJp from '@holiday-jp/holiday_jp'

/** The ward's time zone: every date rule below is evaluated in it, never in the process TZ. */
export const WARD_ZONE = 'Asia/Tokyo'

const HOLIDAYS = holidayJp.holidays as Readonly<Record<string, { name: string } | undefined>>

/** Japanese eras by first Gregorian year, newest first (fiscal-year labels). */
const ERAS: ReadonlyArray<readonly [name: string, firstYear: number]> = [
  ['令和', 2019],
  ['平成', 1989],
  ['昭和', 1926],
  ['大正', 1912],
  ['明治', 1868],
]

/*
 * The ward-zone formatters, built once: luxon's setLocale / toFormat build
 * a formatter and parse the locale on every call (0.1–0.3 ms per date, 50
 * rows a list page). Months, days and times are the same in the Japanese
 * calendar as in the Gregorian one. `format` and a pattern read the fields
 * three times faster than `formatToParts`, which stays as the fallback for
 * an ICU that writes them another way.
 */
const ERA_FORMAT = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  timeZone: WARD_ZONE,
  era: 'long',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
})
/** 令和7/4/1 9:05 */
const ERA_TEXT = /^(\D+)(\d+)\/(\d+)\/(\d+) (\d+):(\d+)$/
const GREGORIAN_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: WARD_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
})
/** 04/01/2025, 09:05 */
const GREGORIAN_TEXT = /^(\d{2})\/(\d{2})\/(\d+), (\d{2}):(\d{2})$/

type DateFields = Partial<Record<Intl.DateTimeFormatPartTypes, string>>

/** The fields of a moment in the ward zone, as the formatter writes them. */
function fieldsOf(
  format: Intl.DateTimeFormat,
  pattern: RegExp,
  names: Intl.DateTimeFormatPartTypes[],
  date: DateTime | number
): DateFields {
  const millis = typeof date === 'number' ? date : millisOf(date)
  const fields: DateFields = {}
  const match = pattern.exec(format.format(millis))
  if (match) {
    names.forEach((name, index) => (fields[name] = match[index + 1]))
  } else {
    for (const { type, value } of format.formatToParts(millis)) fields[type] = value
  }
  return fields
}

const eraFields = (date: DateTime | number) =>
  fieldsOf(ERA_FORMAT, ERA_TEXT, ['era', 'year', 'month', 'day', 'hour', 'minute'], date)

/** yyyy, MM, dd, HH and mm in the ward zone. */
function gregorianFields(date: DateTime | number) {
  const fields = fieldsOf(
    GREGORIAN_FORMAT,
    GREGORIAN_TEXT,
    ['month', 'day', 'year', 'hour', 'minute'],
    date
  )
  return { ...fields, year: fields.year!.padStart(4, '0') }
}

/*
 * Asia/Tokyo has been UTC+9 all year since 1952 (the last summer time ended in 1951): from
 * then on a ward day is a plain number of 24-hour days, and a calendar date's start is its
 * UTC midnight less nine hours.
 */
const WARD_OFFSET_MS = 9 * 3_600_000
const FIXED_OFFSET_SINCE = Date.UTC(1952, 0, 1)

/*
 * luxon asks Intl (formatToParts) for the zone's offset whenever a DateTime is made in or moved
 * into Asia/Tokyo: some 4 µs each, and a list page makes dozens (its due dates, `today`). The
 * zone luxon keeps for the name answers +9 h directly from 1952 on (above); earlier moments,
 * and a NaN, still go to Intl. A luxon cache reset (tests only) gives back the plain zone.
 */
const luxonWardZone = IANAZone.create(WARD_ZONE)
const intlOffset = luxonWardZone.offset.bind(luxonWardZone)
luxonWardZone.offset = (millis: number) =>
  millis >= FIXED_OFFSET_SINCE ? WARD_OFFSET_MS / 60_000 : intlOffset(millis)

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
/** Era dates kept by ward day (a few hundred days fill a busy office's pages). */
const ERA_DATES = new Map<number, string>()
const ERA_DATES_KEPT = 20_000

/**
 * The moment of a DateTime or Date, or the start of a ward calendar date written
 * yyyy-MM-dd; other strings are read as ISO moments (in the process zone without an offset).
 */
function millisOf(value: DateTime | Date | string): number {
  let millis: number
  if (typeof value === 'string') {
    const date = ISO_DATE.exec(value)
    const day = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) : Number.NaN
    // 2025-02-30 is no date (Date.UTC would make it 2 March).
    if (date && new Date(day).toISOString().slice(0, 10) !== value) {
      throw new RangeError(`Invalid date: ${value}`)
    }
    millis = day - WARD_OFFSET_MS
    if (!date || millis < FIXED_OFFSET_SINCE) {
      return millisOf(date ? DateTime.fromISO(value, { zone: WARD_ZONE }) : DateTime.fromISO(value))
    }
  } else if (value instanceof Date) {
    millis = value.getTime()
  } else {
    if (!value.isValid) throw new RangeError(`Invalid DateTime: ${value.invalidExplanation}`)
    millis = value.toMillis()
  }
  if (Number.isNaN(millis)) throw new RangeError(`Invalid date: ${String(value)}`)
  return millis
}

/** 令和7年4月1日 */
function eraDateText(millis: number) {
  const fields = eraFields(millis)
  return `${eraMonthOf(fields)}${Number(fields.day)}日`
}

/** 令和7年4月 (the first year of an era is 元年). */
const eraMonthOf = ({ era, year, month }: DateFields) =>
  `${era}${year === '1' ? '元' : year}年${Number(month)}月`

const DEPARTMENT_OPEN = 8 * 60 + 30
const DEPARTMENT_CLOSE = 17 * 60 + 15
const CALL_CENTER_OPEN = 8 * 60
const CALL_CENTER_CLOSE = 22 * 60

/*
 * Open-day arithmetic runs on plain day numbers (days since 1970-01-01 of
 * the ward's calendar date): due dates are computed for every opinion, and
 * luxon's zone-aware stepping is about 50 times slower.
 */
const DAY_MS = 86_400_000
const OPEN_DAYS = new Map<number, boolean>()

function dayNumberOf(local: DateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day) / DAY_MS
}

function dateOfDayNumber(dayNumber: number): DateTime {
  const date = new Date(dayNumber * DAY_MS)
  return DateTime.fromObject(
    { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
    { zone: WARD_ZONE }
  )
}

function isOpenDayNumber(dayNumber: number): boolean {
  let open = OPEN_DAYS.get(dayNumber)
  if (open === undefined) {
    const date = new Date(dayNumber * DAY_MS)
    const weekday = date.getUTCDay()
    const month = date.getUTCMonth() + 1
    const day = date.getUTCDate()
    const yearEnd = (month === 12 && day >= 29) || (month === 1 && day <= 3)
    open = weekday !== 0 && weekday !== 6 && !HOLIDAYS[date.toISOString().slice(0, 10)] && !yearEnd
    OPEN_DAYS.set(dayNumber, open)
  }
  return open
}

function nextOpenDayNumber(dayNumber: number): number {
  let next = dayNumber + 1
  while (!isOpenDayNumber(next)) next++
  return next
}

export default class WardCalendar {
  /** Converts to the ward zone, rejecting invalid DateTimes. */
  private static zoned(date: DateTime): DateTime {
    if (!date.isValid) throw new RangeError(`Invalid DateTime: ${date.invalidExplanation}`)
    return date.setZone(WARD_ZONE)
  }

  /** Minutes since local midnight in the ward zone. */
  private static minuteOfDay(moment: DateTime): number {
    const local = this.zoned(moment)
    return local.hour * 60 + local.minute
  }

  /** 年度 (April–March) containing the date. */
  static fiscalYear(date: DateTime): number {
    const local = this.zoned(date)
    return local.month >= 4 ? local.year : local.year - 1
  }

  /** Start of 4/1 to end of 3/31 of the fiscal year, in the ward zone. */
  static fiscalYearRange(fiscalYear: number): { start: DateTime; end: DateTime } {
    const start = DateTime.fromObject({ year: fiscalYear, month: 4, day: 1 }, { zone: WARD_ZONE })
    return { start, end: start.plus({ years: 1 }).minus({ days: 1 }).endOf('day') }
  }

  /** Era label of a fiscal year, e.g. 令和8年度; the whole of FY2019 is 令和元年度. */
  static fiscalYearLabel(fiscalYear: number): string {
    const era = ERAS.find(([, firstYear]) => fiscalYear >= firstYear)
    if (!era) throw new RangeError(`Fiscal year before 明治: ${fiscalYear}`)
    const year = fiscalYear - era[1] + 1
    return `${era[0]}${year === 1 ? '元' : year}年度`
  }

  /**
   * Japanese-era date, e.g. 令和7年4月1日, 令和元年5月1日. Also takes a Date (a moment as
   * the database driver reads it) and a ward calendar date written yyyy-MM-dd.
   */
  static formatEra(date: DateTime | Date | string): string {
    const millis = millisOf(date)
    if (millis < FIXED_OFFSET_SINCE) return eraDateText(millis)
    // A list page formats the same few days over and over: each day's text is kept.
    const day = Math.floor((millis + WARD_OFFSET_MS) / DAY_MS)
    let text = ERA_DATES.get(day)
    if (text === undefined) {
      text = eraDateText(millis)
      if (ERA_DATES.size >= ERA_DATES_KEPT) ERA_DATES.clear()
      ERA_DATES.set(day, text)
    }
    return text
  }

  /** Japanese-era month, e.g. 平成25年6月 (a period written to the month). */
  static formatEraMonth(date: DateTime): string {
    return eraMonthOf(eraFields(date))
  }

  /** Japanese-era date and time, e.g. 令和7年4月1日 9:05 (formatEra's inputs). */
  static formatEraDateTime(date: DateTime | Date | string): string {
    const fields = eraFields(millisOf(date))
    return `${eraMonthOf(fields)}${Number(fields.day)}日 ${Number(fields.hour)}:${fields.minute}`
  }

  /** ISO moment in the ward zone, e.g. 2025-04-01T09:05:00.000+09:00 (a datetime attribute). */
  static formatIsoMoment(date: DateTime | Date | string): string {
    const millis = millisOf(date)
    if (millis < FIXED_OFFSET_SINCE)
      return DateTime.fromMillis(millis, { zone: WARD_ZONE }).toISO()!
    return `${new Date(millis + WARD_OFFSET_MS).toISOString().slice(0, 23)}+09:00`
  }

  /** ISO calendar date (yyyy-MM-dd) in the ward zone (formatEra's inputs). */
  static formatIso(date: DateTime | Date | string): string {
    const millis = millisOf(date)
    if (typeof date === 'string' && ISO_DATE.test(date)) return date
    const { year, month, day } = gregorianFields(millis)
    return `${year}-${month}-${day}`
  }

  /** National holiday name (incl. 振替休日 and 国民の休日), or null. */
  static holidayName(date: DateTime): string | null {
    return HOLIDAYS[this.formatIso(date)]?.name ?? null
  }

  /** Year-end/new-year closure: 12/29–12/31 and 1/1–1/3. */
  static isYearEndClosure(date: DateTime): boolean {
    const { month, day } = this.zoned(date)
    return (month === 12 && day >= 29) || (month === 1 && day <= 3)
  }

  /** Weekday that is neither a national holiday nor in the year-end closure. */
  static isOpenDay(date: DateTime): boolean {
    return isOpenDayNumber(dayNumberOf(this.zoned(date)))
  }

  /** First open day strictly after the date (start of day). */
  static nextOpenDay(date: DateTime): DateTime {
    return dateOfDayNumber(nextOpenDayNumber(dayNumberOf(this.zoned(date))))
  }

  /**
   * The date itself when it is an open day, else the next open day (start of
   * day): a deadline that falls on a closed day moves to the next open day
   * (行政機関の休日に関する法律1条・2条: 土日, 国民の祝日に関する法律の休日,
   * 12/29–1/3).
   */
  static openDayOnOrAfter(date: DateTime): DateTime {
    const day = dayNumberOf(this.zoned(date))
    return dateOfDayNumber(isOpenDayNumber(day) ? day : nextOpenDayNumber(day))
  }

  /**
   * The last day of a period of months or years that runs from an event on
   * `eventAt` (a moment during that day), counted by the Civil Code:
   * - 民法140条: the day of the event is not counted; the period starts the
   *   next day (the proviso for a period starting at 0:00 does not apply to
   *   an event that happens during the day);
   * - 民法143条: counted by the calendar, the period ends on the day before
   *   the day of its last month or year that corresponds to its first day;
   *   when that month has no such day, on the last day of that month.
   * One year from 2025-11-26 ends on 2026-11-26; from 2024-02-29 (first day
   * 3/1) on 2025-02-28; one month from 2025-01-30 (first day 1/31) on
   * 2025-02-28. Closed days do not move it (no one has to act on the last
   * day). Dates are the ward's.
   */
  static periodLastDay(eventAt: DateTime, period: { years?: number; months?: number }): DateTime {
    const months = (period.years ?? 0) * 12 + (period.months ?? 0)
    if (!Number.isInteger(months) || months <= 0)
      throw new RangeError(`Invalid period: ${JSON.stringify(period)}`)
    const firstDay = this.zoned(eventAt).startOf('day').plus({ days: 1 })
    const lastMonth = firstDay.startOf('month').plus({ months })
    if (firstDay.day > lastMonth.daysInMonth!) return lastMonth.endOf('month').startOf('day')
    return lastMonth.set({ day: firstDay.day }).minus({ days: 1 })
  }

  /** The date `days` open days after `date` (the start day never counts), start of day. */
  static addOpenDays(date: DateTime, days: number): DateTime {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`Invalid open days: ${days}`)
    let day = dayNumberOf(this.zoned(date))
    for (let i = 0; i < days; i++) day = nextOpenDayNumber(day)
    return dateOfDayNumber(day)
  }

  /** Number of open days d with from < d <= to, by calendar date (0 if to <= from). */
  static openDaysBetween(from: DateTime, to: DateTime): number {
    const last = dayNumberOf(this.zoned(to))
    let count = 0
    for (
      let day = nextOpenDayNumber(dayNumberOf(this.zoned(from)));
      day <= last;
      day = nextOpenDayNumber(day)
    )
      count++
    return count
  }

  /** First open-day hour:minute strictly after the moment. */
  static nextOpenDayAt(moment: DateTime, hour = 8, minute = 30): DateTime {
    const local = this.zoned(moment)
    const today = local.startOf('day').set({ hour, minute })
    if (this.isOpenDay(today) && today > local) return today
    return this.nextOpenDay(local).set({ hour, minute })
  }

  /** Department counters: open day, 8:30 <= time < 17:15. */
  static isDepartmentOpenAt(moment: DateTime): boolean {
    const minutes = this.minuteOfDay(moment)
    return this.isOpenDay(moment) && minutes >= DEPARTMENT_OPEN && minutes < DEPARTMENT_CLOSE
  }

  /** Call center: every day 8:00 <= time < 22:00, except 1/1–1/3. */
  static isCallCenterOpenAt(moment: DateTime): boolean {
    const { month, day } = this.zoned(moment)
    const minutes = this.minuteOfDay(moment)
    if (month === 1 && day <= 3) return false
    return minutes >= CALL_CENTER_OPEN && minutes < CALL_CENTER_CLOSE
  }

  /** A wall-clock time entered on a form (parsed as a local Date) read as the ward's time. */
  static fromWallClock(date: Date): DateTime {
    return DateTime.fromObject(
      {
        year: date.getFullYear(),
        month: date.getMonth() + 1,
        day: date.getDate(),
        hour: date.getHours(),
        minute: date.getMinutes(),
      },
      { zone: WARD_ZONE }
    )
  }

  /** yyyy-MM-ddTHH:mm in the ward zone, the value of a datetime-local input. */
  static toWallClock(moment: DateTime | null): string {
    if (!moment) return ''
    // luxon writes "Invalid DateTime"
    if (!moment.isValid) return moment.toFormat("yyyy-MM-dd'T'HH:mm")
    const { year, month, day, hour, minute } = gregorianFields(moment)
    return `${year}-${month}-${day}T${hour}:${minute}`
  }
}
