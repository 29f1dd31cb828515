import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import OpinionSchedule from '#services/opinions/opinion_schedule'

/** Builds a DateTime in the ward zone from an ISO string ('2026-05-06' or '2026-05-06T09:05'). */
const jst = (iso: string) => DateTime.fromISO(iso, { zone: WARD_ZONE })

const day = (date: DateTime) => date.setZone(WARD_ZONE).toISODate()

test.group(
  'WardCalendar.periodLastDay: periods counted by the Civil Code (民法140条・143条)',
  () => {
    const oneYear = (iso: string) => day(WardCalendar.periodLastDay(jst(iso), { years: 1 }))

    test('the day of the event is not counted: one year from 2025-11-26 ends on 2026-11-26', ({
      assert,
    }) => {
      assert.equal(oneYear('2025-11-26T10:00'), '2026-11-26')
      assert.equal(oneYear('2025-11-26T21:59'), '2026-11-26')
      assert.equal(oneYear('2025-11-27T08:00'), '2026-11-27')
    })

    test('leap day: from 2024-02-29 it ends on 2025-02-28; from 2023-02-28 on 2024-02-29', ({
      assert,
    }) => {
      // First day 2024-03-01: the day before 2025-03-01.
      assert.equal(oneYear('2024-02-29T10:00'), '2025-02-28')
      // First day 2024-02-29: 2025 has no 2/29, so the period ends on the last day of February (143条2項ただし書).
      assert.equal(oneYear('2024-02-28T10:00'), '2025-02-28')
      // First day 2023-03-01: the day before 2024-03-01 is the leap day (a plain "+1 year" says 2024-02-28).
      assert.equal(oneYear('2023-02-28T10:00'), '2024-02-29')
      assert.equal(oneYear('2028-02-29T10:00'), '2029-02-28')
    })

    test('month periods end on the last day of a month that has no corresponding day', ({
      assert,
    }) => {
      const months = (iso: string, count: number) =>
        day(WardCalendar.periodLastDay(jst(iso), { months: count }))
      assert.equal(months('2025-01-30T10:00', 1), '2025-02-28')
      assert.equal(months('2024-01-30T10:00', 1), '2024-02-29')
      assert.equal(months('2025-03-31T10:00', 1), '2025-04-30')
      assert.equal(months('2025-08-30T10:00', 6), '2026-02-28')
      assert.equal(
        day(WardCalendar.periodLastDay(jst('2025-04-01T10:00'), { years: 1, months: 6 })),
        '2026-10-01'
      )
    })

    test('year end and holidays do not move the end of a retention period', ({ assert }) => {
      assert.equal(oneYear('2025-12-31T10:00'), '2026-12-31')
      assert.equal(oneYear('2025-12-28T10:00'), '2026-12-28')
      assert.equal(oneYear('2025-05-02T10:00'), '2026-05-02', 'a Saturday in Golden Week')
      assert.equal(oneYear('2025-09-22T10:00'), '2026-09-22', '国民の休日')
    })

    test('the day is the ward’s: 00:30 in Tokyo is the previous day in UTC', ({ assert }) => {
      assert.equal(
        day(
          WardCalendar.periodLastDay(DateTime.fromISO('2025-11-25T15:30:00Z', { zone: 'utc' }), {
            years: 1,
          })
        ),
        '2026-11-26'
      )
      assert.equal(
        WardCalendar.periodLastDay(jst('2025-11-26T10:00'), { years: 1 }).zoneName,
        WARD_ZONE
      )
    })

    test('a period must be whole months or years', ({ assert }) => {
      assert.throws(() => WardCalendar.periodLastDay(jst('2025-11-26'), {}), /Invalid period/)
      assert.throws(
        () => WardCalendar.periodLastDay(jst('2025-11-26'), { months: 1.5 }),
        /Invalid period/
      )
      assert.throws(
        () => WardCalendar.periodLastDay(DateTime.invalid('test'), { years: 1 }),
        /Invalid DateTime/
      )
    })
  }
)

test.group(
  'WardCalendar.openDayOnOrAfter: a deadline on a closed day moves to the next open day',
  () => {
    const moved = (iso: string) => day(WardCalendar.openDayOnOrAfter(jst(iso)))

    test('an open day stays; weekends, holidays and 12/29–1/3 move', ({ assert }) => {
      assert.equal(moved('2026-12-24T15:00'), '2026-12-24')
      assert.equal(moved('2026-07-04'), '2026-07-06')
      assert.equal(moved('2026-12-29'), '2027-01-04')
      assert.equal(moved('2027-01-03'), '2027-01-04')
      assert.equal(moved('2026-05-03'), '2026-05-07')
      assert.equal(moved('2026-05-06'), '2026-05-07', '振替休日')
      assert.equal(moved('2026-09-19'), '2026-09-24')
      assert.equal(moved('2026-09-22'), '2026-09-24', '国民の休日')
      assert.equal(moved('2028-02-29'), '2028-02-29')
      assert.equal(moved('2032-02-29'), '2032-03-01')
      assert.equal(
        WardCalendar.openDayOnOrAfter(jst('2026-12-24T15:00')).toISO(),
        '2026-12-24T00:00:00.000+09:00'
      )
    })
  }
)

test.group(
  'OpinionSchedule: call-center personal data kept one year, deleted the day after',
  () => {
    const deletion = (iso: string) => day(OpinionSchedule.personalDataDeletionOn(jst(iso)))

    test('collected 2025-11-26: kept through 2026-11-26, deleted from 2026-11-27', ({ assert }) => {
      assert.equal(deletion('2025-11-26T19:00'), '2026-11-27')
    })

    test('collected 2024-02-29: kept through 2025-02-28, deleted from 2025-03-01', ({ assert }) => {
      assert.equal(deletion('2024-02-29T10:00'), '2025-03-01')
      assert.equal(deletion('2023-02-28T10:00'), '2024-03-01')
      assert.equal(
        deletion('2025-12-31T21:00'),
        '2027-01-01',
        'deleted on New Year’s Day: the purge runs every day'
      )
    })

    test('a new call-center receipt gets it; other receipts none', ({ assert }) => {
      const call = OpinionSchedule.forReceipt(jst('2025-11-26T19:00'), {
        channel: 'call_center',
        replyOwed: true,
        collectedByCallCenter: true,
      })
      assert.equal(day(call.personalDataExpiresOn!), '2026-11-27')
      const letter = OpinionSchedule.forReceipt(jst('2025-11-26T10:00'), {
        channel: 'letter',
        replyOwed: true,
        collectedByCallCenter: false,
      })
      assert.isNull(letter.personalDataExpiresOn)
    })
  }
)
