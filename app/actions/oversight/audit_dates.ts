import { DateTime } from 'luxon'
import WardCalendar from '#services/ward_calendar'

/** A validated form date as a luxon date. */
export const toDate = (value: Date) => DateTime.fromJSDate(value)

/** An audit is logged after it took place: the date may be today, never later (in the ward's zone). */
export function isFutureDate(date: DateTime, today: DateTime = DateTime.now()): boolean {
  return WardCalendar.formatIso(date) > WardCalendar.formatIso(today)
}
