import { DateTime } from 'luxon'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import {
  CALL_CENTER_RETENTION_YEARS,
  NEAR_DUE_OPEN_DAYS,
  REPLY_DUE_OPEN_DAYS,
  type OpinionChannel,
} from '#enums/opinion'

export interface ReceiptSchedule {
  fiscalYear: number
  receivedMonth: string
  /** Set when the departments were closed at receipt: the next open day, 8:30. */
  handoverAt: DateTime | null
  /** 14 open days after receipt (or handover), when a reply is owed. */
  dueOn: DateTime | null
  /**
   * Call-center personal data: the day its deletion is due, the day after
   * the one-year retention ends (see personalDataDeletionOn).
   */
  personalDataExpiresOn: DateTime | null
}

/**
 * The dates that follow from when and how a submission arrived: fiscal
 * year and month for statistics, hand-over to the departments on the next
 * open day, the 14-open-day reply due date, the call center's retention.
 */
export default class OpinionSchedule {
  static forReceipt(
    receivedAt: DateTime,
    options: { channel: OpinionChannel; replyOwed: boolean; collectedByCallCenter: boolean }
  ): ReceiptSchedule {
    const local = receivedAt.setZone(WARD_ZONE)
    const handoverAt = WardCalendar.isDepartmentOpenAt(local)
      ? null
      : WardCalendar.nextOpenDayAt(local)
    return {
      fiscalYear: WardCalendar.fiscalYear(local),
      receivedMonth: local.toFormat('yyyy-MM'),
      handoverAt,
      dueOn: options.replyOwed ? OpinionSchedule.dueOn(local) : null,
      personalDataExpiresOn: options.collectedByCallCenter
        ? OpinionSchedule.personalDataDeletionOn(local)
        : null,
    }
  }

  /**
   * The call center keeps personal data for one year after collection (seed
   * 001), counted by the Civil Code (民法140条・143条, WardCalendar.periodLastDay):
   * data collected on 2025-11-26 is kept through 2026-11-26 and deleted from
   * 2026-11-27; data of 2024-02-29 is kept through 2025-02-28 and deleted
   * from 2025-03-01. Returns the deletion day (the ward's date).
   */
  static personalDataDeletionOn(collectedAt: DateTime): DateTime {
    return WardCalendar.periodLastDay(collectedAt, { years: CALL_CENTER_RETENTION_YEARS }).plus({
      days: 1,
    })
  }

  /**
   * 14 open days counted from the day of receipt (the day itself does not
   * count, so a Saturday and the Friday before give the same date).
   */
  static dueOn(receivedAt: DateTime): DateTime {
    return WardCalendar.addOpenDays(receivedAt, REPLY_DUE_OPEN_DAYS)
  }

  /** From this date on, an open opinion is near due (3 open days before the due date). */
  static nearDueThreshold(today: DateTime): DateTime {
    return WardCalendar.addOpenDays(today, NEAR_DUE_OPEN_DAYS)
  }

  /** Open days from receipt to the reply (statistics: average, 90th percentile). */
  static replyOpenDays(receivedAt: DateTime, repliedAt: DateTime): number {
    return WardCalendar.openDaysBetween(receivedAt, repliedAt)
  }
}
