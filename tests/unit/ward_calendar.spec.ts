import { test } from '@japa/runner'
import { DateTime, IANAZone } from 'luxon'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

/** Builds a DateTime in the ward zone from an ISO string ('2026-05-06' or '2026-05-06T09:05'). */
const jst = (iso: string) => DateTime.fromISO(iso, { zone: WARD_ZONE })

/** ISO date-time (minute precision) in the ward zone, for concrete comparisons. */
const stamp = (date: DateTime) => date.setZone(WARD_ZONE).toFormat("yyyy-MM-dd'T'HH:mm")

test.group('WardCalendar', () => {
  test('fiscal year boundaries (April–March)', ({ assert }) => {
    assert.equal(WardCalendar.fiscalYear(jst('2026-03-31T23:59')), 2025)
    assert.equal(WardCalendar.fiscalYear(jst('2026-04-01T00:00')), 2026)
    assert.equal(WardCalendar.fiscalYear(jst('2026-12-31')), 2026)
    assert.equal(WardCalendar.fiscalYear(jst('2027-01-01')), 2026)
    // 2026-03-31T15:30Z is already 4/1 00:30 in Tokyo.
    assert.equal(WardCalendar.fiscalYear(DateTime.fromISO('2026-03-31T15:30:00Z')), 2026)

    const { start, end } = WardCalendar.fiscalYearRange(2026)
    assert.equal(start.toISO(), '2026-04-01T00:00:00.000+09:00')
    assert.equal(end.toISO(), '2027-03-31T23:59:59.999+09:00')
    assert.equal(start.zoneName, WARD_ZONE)
  })

  test('fiscal year labels incl. 令和元年度', ({ assert }) => {
    assert.equal(WardCalendar.fiscalYearLabel(2026), '令和8年度')
    assert.equal(WardCalendar.fiscalYearLabel(2020), '令和2年度')
    assert.equal(WardCalendar.fiscalYearLabel(2019), '令和元年度')
    assert.equal(WardCalendar.fiscalYearLabel(2018), '平成30年度')
    assert.equal(WardCalendar.fiscalYearLabel(1989), '平成元年度')
    assert.equal(WardCalendar.fiscalYearLabel(1988), '昭和63年度')
  })

  test('era dates incl. 令和元年 and the 平成/令和 switch', ({ assert }) => {
    assert.equal(WardCalendar.formatEra(jst('2025-04-01')), '令和7年4月1日')
    assert.equal(WardCalendar.formatEra(jst('2019-05-01')), '令和元年5月1日')
    assert.equal(WardCalendar.formatEra(jst('2019-04-30')), '平成31年4月30日')
    assert.equal(WardCalendar.formatEra(jst('2020-01-01')), '令和2年1月1日')
    assert.equal(WardCalendar.formatEra(jst('1989-01-08')), '平成元年1月8日')
    assert.equal(WardCalendar.formatEraDateTime(jst('2025-04-01T09:05')), '令和7年4月1日 9:05')
    assert.equal(WardCalendar.formatEraDateTime(jst('2025-04-01T17:45')), '令和7年4月1日 17:45')
    assert.equal(WardCalendar.formatIso(jst('2026-05-06T23:59')), '2026-05-06')
  })

  test('era dates of UTC instants late at night, 元年 and the era switch in Tokyo', ({
    assert,
  }) => {
    const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' })
    // 2019-04-30T14:59Z is 平成31年4月30日 23:59 in Tokyo; a minute later 令和 begins.
    assert.equal(
      WardCalendar.formatEraDateTime(utc('2019-04-30T14:59:00Z')),
      '平成31年4月30日 23:59'
    )
    assert.equal(WardCalendar.formatEraDateTime(utc('2019-04-30T15:00:00Z')), '令和元年5月1日 0:00')
    assert.equal(WardCalendar.formatEra(utc('2019-04-30T15:00:00Z')), '令和元年5月1日')
    assert.equal(WardCalendar.formatEraMonth(utc('2019-04-30T14:59:00Z')), '平成31年4月')
    assert.equal(WardCalendar.formatEraMonth(utc('2019-04-30T15:00:00Z')), '令和元年5月')
    // 1989-01-07 was the last day of 昭和, 1989-01-08 平成元年.
    assert.equal(WardCalendar.formatEra(utc('1989-01-07T14:59:00Z')), '昭和64年1月7日')
    assert.equal(WardCalendar.formatEra(utc('1989-01-07T15:00:00Z')), '平成元年1月8日')
    // Late evening UTC is the next morning in Tokyo: date, month and year roll over.
    assert.equal(WardCalendar.formatEraDateTime(utc('2025-12-31T23:05:00Z')), '令和8年1月1日 8:05')
    assert.equal(WardCalendar.formatIso(utc('2025-12-31T23:05:00Z')), '2026-01-01')
    assert.equal(WardCalendar.toWallClock(utc('2025-12-31T23:05:00Z')), '2026-01-01T08:05')
    assert.equal(WardCalendar.toWallClock(utc('2019-04-30T15:00:00Z')), '2019-05-01T00:00')
    assert.equal(WardCalendar.formatEraDateTime(utc('2026-03-31T15:00:00Z')), '令和8年4月1日 0:00')
    // Each call formats its own date (the formatter is shared).
    assert.deepEqual(
      ['2026-04-01', '2019-05-01', '2019-04-30', '2026-04-01'].map((iso) =>
        WardCalendar.formatEra(jst(iso))
      ),
      ['令和8年4月1日', '令和元年5月1日', '平成31年4月30日', '令和8年4月1日']
    )
    assert.throws(() => WardCalendar.formatEra(DateTime.invalid('test')), /Invalid DateTime/)
    assert.throws(() => WardCalendar.formatIso(DateTime.invalid('test')), /Invalid DateTime/)
  })

  test('era dates kept by day match the formatter at every moment, and take Dates and yyyy-MM-dd', ({
    assert,
  }) => {
    const reference = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
      timeZone: WARD_ZONE,
      era: 'long',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    })
    const expected = (millis: number) => {
      const parts = Object.fromEntries(
        reference.formatToParts(millis).map((p) => [p.type, p.value])
      )
      return `${parts.era}${parts.year === '1' ? '元' : parts.year}年${parts.month}月${parts.day}日`
    }
    // Seeded, so that a failure can be replayed: moments from 1940 (summer time until 1951) to 2060,
    // each formatted twice (the second one from the kept day), and both sides of each midnight.
    let seed = 20_191_101
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    const from = Date.UTC(1940, 0, 1)
    const to = Date.UTC(2060, 0, 1)
    for (let index = 0; index < 4000; index++) {
      const millis = Math.floor(from + next() * (to - from))
      const midnight = DateTime.fromMillis(millis, { zone: WARD_ZONE }).startOf('day').toMillis()
      for (const moment of [millis, millis, midnight, midnight - 1]) {
        assert.equal(WardCalendar.formatEra(DateTime.fromMillis(moment)), expected(moment))
        assert.equal(WardCalendar.formatEra(new Date(moment)), expected(moment))
      }
    }
    assert.equal(WardCalendar.formatEra('2019-05-01'), '令和元年5月1日')
    assert.equal(WardCalendar.formatEra('2019-04-30'), '平成31年4月30日')
    assert.equal(WardCalendar.formatEra('1951-06-01'), '昭和26年6月1日')
    assert.equal(WardCalendar.formatIso('2026-01-01'), '2026-01-01')
    assert.equal(
      WardCalendar.formatIsoMoment(new Date('2025-12-31T23:05:00Z')),
      '2026-01-01T08:05:00.000+09:00'
    )
    assert.equal(
      WardCalendar.formatIsoMoment(new Date('1951-06-01T00:00:00Z')),
      '1951-06-01T10:00:00.000+10:00'
    )
    assert.equal(WardCalendar.formatEra(new Date('2019-04-30T15:00:00Z')), '令和元年5月1日')
    assert.throws(() => WardCalendar.formatEra('2025-02-30'), /Invalid date/)
    assert.throws(() => WardCalendar.formatEra(new Date(Number.NaN)), /Invalid date/)
  })

  test('holiday names from the national data', ({ assert }) => {
    assert.equal(WardCalendar.holidayName(jst('2026-05-06')), 'こどもの日 振替休日')
    assert.equal(WardCalendar.holidayName(jst('2026-09-22')), '休日')
    assert.equal(WardCalendar.holidayName(jst('2027-01-11')), '成人の日')
    assert.isNull(WardCalendar.holidayName(jst('2026-05-07')))
  })

  test('2026 Golden Week incl. 5/6 振替休日', ({ assert }) => {
    const expected: Record<string, boolean> = {
      '2026-04-28': true,
      '2026-04-29': false, // 昭和の日 (Wed)
      '2026-04-30': true,
      '2026-05-01': true,
      '2026-05-02': false, // Sat
      '2026-05-03': false, // 憲法記念日 (Sun)
      '2026-05-04': false, // みどりの日
      '2026-05-05': false, // こどもの日
      '2026-05-06': false, // こどもの日 振替休日 (Wed)
      '2026-05-07': true,
    }
    for (const [iso, open] of Object.entries(expected)) {
      assert.equal(WardCalendar.isOpenDay(jst(iso)), open, iso)
    }
    assert.equal(
      WardCalendar.formatIso(WardCalendar.nextOpenDay(jst('2026-05-01T16:00'))),
      '2026-05-07'
    )
    assert.equal(
      WardCalendar.formatIso(WardCalendar.addOpenDays(jst('2026-05-01'), 1)),
      '2026-05-07'
    )
  })

  test('2026-09-22 国民の休日 between 敬老の日 and 秋分の日', ({ assert }) => {
    assert.isFalse(WardCalendar.isOpenDay(jst('2026-09-21')))
    assert.isFalse(WardCalendar.isOpenDay(jst('2026-09-22')))
    assert.isFalse(WardCalendar.isOpenDay(jst('2026-09-23')))
    assert.isTrue(WardCalendar.isOpenDay(jst('2026-09-24')))
    assert.equal(WardCalendar.formatIso(WardCalendar.nextOpenDay(jst('2026-09-18'))), '2026-09-24')
    assert.equal(WardCalendar.openDaysBetween(jst('2026-09-18'), jst('2026-09-24')), 1)
  })

  test('year-end closure 12/29–1/3', ({ assert }) => {
    assert.isFalse(WardCalendar.isYearEndClosure(jst('2026-12-28')))
    assert.isTrue(WardCalendar.isYearEndClosure(jst('2026-12-29')))
    assert.isTrue(WardCalendar.isYearEndClosure(jst('2027-01-03')))
    assert.isFalse(WardCalendar.isYearEndClosure(jst('2027-01-04')))
    assert.isTrue(WardCalendar.isOpenDay(jst('2026-12-28')))
    assert.isFalse(WardCalendar.isOpenDay(jst('2026-12-29'))) // Tue, closure only
    assert.isFalse(WardCalendar.isOpenDay(jst('2026-12-30')))
    assert.isTrue(WardCalendar.isOpenDay(jst('2027-01-04')))
    assert.equal(WardCalendar.formatIso(WardCalendar.nextOpenDay(jst('2026-12-31'))), '2027-01-04')

    const from = jst('2026-12-25T15:00') // Fri
    assert.equal(WardCalendar.formatIso(WardCalendar.addOpenDays(from, 1)), '2026-12-28')
    assert.equal(WardCalendar.formatIso(WardCalendar.addOpenDays(from, 2)), '2027-01-04')
    assert.equal(WardCalendar.formatIso(WardCalendar.addOpenDays(from, 3)), '2027-01-05')
  })

  test('reply due 14 open days after receipt', ({ assert }) => {
    // Received Tue 2026-09-15: 9/21–9/23 are holidays.
    const due = WardCalendar.addOpenDays(jst('2026-09-15T10:12'), 14)
    assert.equal(due.toISO(), '2026-10-08T00:00:00.000+09:00')
    // Received Fri 2026-04-24, across Golden Week.
    assert.equal(
      WardCalendar.formatIso(WardCalendar.addOpenDays(jst('2026-04-24'), 14)),
      '2026-05-20'
    )
    // The start day never counts, even when open; 0 days is the same day.
    assert.equal(
      WardCalendar.formatIso(WardCalendar.addOpenDays(jst('2026-06-02T11:00'), 1)),
      '2026-06-03'
    )
    assert.equal(stamp(WardCalendar.addOpenDays(jst('2026-06-02T11:00'), 0)), '2026-06-02T00:00')
    assert.throws(() => WardCalendar.addOpenDays(jst('2026-06-02'), -1))
  })

  test('openDaysBetween counts from < d <= to', ({ assert }) => {
    assert.equal(WardCalendar.openDaysBetween(jst('2026-04-24'), jst('2026-05-20')), 14)
    assert.equal(WardCalendar.openDaysBetween(jst('2026-12-25'), jst('2027-01-04')), 2)
    assert.equal(WardCalendar.openDaysBetween(jst('2026-06-01'), jst('2026-06-05')), 4)
    assert.equal(WardCalendar.openDaysBetween(jst('2026-06-02'), jst('2026-06-02T18:00')), 0)
    assert.equal(WardCalendar.openDaysBetween(jst('2026-06-05'), jst('2026-06-01')), 0)
  })

  test('nextOpenDayAt', ({ assert }) => {
    // Mon 22:00 → Tue 8:30
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-06-01T22:00'))), '2026-06-02T08:30')
    // Tue 07:00 on an open day → same day 8:30
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-06-02T07:00'))), '2026-06-02T08:30')
    // Exactly 8:30 is not strictly after → next open day
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-06-02T08:30'))), '2026-06-03T08:30')
    // Fri 12/25 evening → Mon 12/28 (the last open day before the closure)
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-12-25T18:00'))), '2026-12-28T08:30')
    // Mon 12/28 evening → across the 12/29–1/3 closure to Mon 2027-01-04
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-12-28T18:00'))), '2027-01-04T08:30')
    // Early morning on a holiday (5/6 振替休日) → 5/7
    assert.equal(stamp(WardCalendar.nextOpenDayAt(jst('2026-05-06T06:00'))), '2026-05-07T08:30')
    // Custom time
    assert.equal(
      stamp(WardCalendar.nextOpenDayAt(jst('2026-06-05T18:00'), 9, 0)),
      '2026-06-08T09:00'
    )
  })

  test('department hours: open day, 8:30–17:15', ({ assert }) => {
    assert.isFalse(WardCalendar.isDepartmentOpenAt(jst('2026-06-02T08:29')))
    assert.isTrue(WardCalendar.isDepartmentOpenAt(jst('2026-06-02T08:30')))
    assert.isTrue(WardCalendar.isDepartmentOpenAt(jst('2026-06-02T17:14')))
    assert.isFalse(WardCalendar.isDepartmentOpenAt(jst('2026-06-02T17:15')))
    assert.isFalse(WardCalendar.isDepartmentOpenAt(jst('2026-06-06T10:00'))) // Sat
    assert.isFalse(WardCalendar.isDepartmentOpenAt(jst('2026-05-06T10:00'))) // 振替休日
    assert.isFalse(WardCalendar.isDepartmentOpenAt(jst('2026-12-29T10:00'))) // closure
  })

  test('call center hours: every day 8:00–22:00 except 1/1–1/3', ({ assert }) => {
    assert.isFalse(WardCalendar.isCallCenterOpenAt(jst('2026-06-06T07:59')))
    assert.isTrue(WardCalendar.isCallCenterOpenAt(jst('2026-06-06T08:00'))) // Sat
    assert.isTrue(WardCalendar.isCallCenterOpenAt(jst('2026-06-06T21:59')))
    assert.isFalse(WardCalendar.isCallCenterOpenAt(jst('2026-06-06T22:00')))
    assert.isTrue(WardCalendar.isCallCenterOpenAt(jst('2026-05-05T12:00'))) // holiday
    assert.isTrue(WardCalendar.isCallCenterOpenAt(jst('2026-12-31T12:00')))
    assert.isFalse(WardCalendar.isCallCenterOpenAt(jst('2027-01-01T12:00')))
    assert.isFalse(WardCalendar.isCallCenterOpenAt(jst('2027-01-03T21:00')))
    assert.isTrue(WardCalendar.isCallCenterOpenAt(jst('2027-01-04T08:00')))
  })

  test('luxon knows the ward zone without asking Intl, with the offsets Intl gives', ({
    assert,
  }) => {
    // A zone made apart from luxon's cache asks Intl as luxon always did.
    const intl = new IANAZone(WARD_ZONE)
    const moments = [
      '1951-08-01T00:00:00Z', // summer time (+10 h) in the last year Japan kept it
      '1951-12-31T14:59:59Z',
      '1951-12-31T15:00:00Z', // 1952-01-01 00:00 in Tokyo
      '1989-01-07T15:00:00Z',
      '2026-03-31T15:00:00Z',
      '2099-12-31T23:59:59Z',
    ].map((iso) => Date.parse(iso))
    for (const millis of moments) {
      assert.equal(DateTime.fromMillis(millis, { zone: WARD_ZONE }).offset, intl.offset(millis))
    }
    assert.equal(DateTime.fromISO('1951-08-01T12:00', { zone: WARD_ZONE }).offset, 600)
    assert.isNaN(IANAZone.create(WARD_ZONE).offset(Number.NaN))

    const formatToParts = Intl.DateTimeFormat.prototype.formatToParts
    let intlCalls = 0
    Intl.DateTimeFormat.prototype.formatToParts = function (this: Intl.DateTimeFormat, date) {
      intlCalls++
      return formatToParts.call(this, date)
    }
    try {
      const due = WardCalendar.addOpenDays(jst('2026-05-01T10:00'), 3)
      const today = DateTime.fromISO('2026-11-27T03:00:00Z').setZone(WARD_ZONE)
      // Golden Week: 5/7, 5/8 and 5/11 are the three open days after 5/1.
      assert.equal(due.toISO(), '2026-05-11T00:00:00.000+09:00')
      assert.equal(today.toISO(), '2026-11-27T12:00:00.000+09:00')
    } finally {
      Intl.DateTimeFormat.prototype.formatToParts = formatToParts
    }
    assert.equal(intlCalls, 0)
  })

  test('results do not depend on process.env.TZ', ({ assert }) => {
    // 2026-05-06T15:30Z is Thu 5/7 00:30 in Tokyo (open) but Wed 5/6 11:30 in New York (振替休日).
    const instant = new Date('2026-05-06T15:30:00Z')
    const evaluate = () => {
      const local = DateTime.fromJSDate(instant) // in the process zone
      return {
        zone: local.zoneName,
        iso: WardCalendar.formatIso(local),
        open: WardCalendar.isOpenDay(local),
        holiday: WardCalendar.holidayName(local),
        fiscalYear: WardCalendar.fiscalYear(DateTime.fromJSDate(new Date('2026-03-31T16:00:00Z'))),
        era: WardCalendar.formatEraDateTime(local),
        next: stamp(WardCalendar.nextOpenDayAt(local)),
        due: WardCalendar.addOpenDays(local, 1).toISO(),
        department: WardCalendar.isDepartmentOpenAt(DateTime.fromISO('2026-06-01T23:45:00Z')),
      }
    }
    const expected = {
      iso: '2026-05-07',
      open: true,
      holiday: null,
      fiscalYear: 2026,
      era: '令和8年5月7日 0:30',
      next: '2026-05-07T08:30',
      due: '2026-05-08T00:00:00.000+09:00',
      department: true, // Tue 6/2 08:45 in Tokyo
    }

    const original = process.env.TZ
    try {
      process.env.TZ = 'America/New_York'
      const { zone, ...inNewYork } = evaluate()
      assert.equal(zone, 'America/New_York') // the process zone really changed
      assert.deepEqual(inNewYork, expected)

      process.env.TZ = 'UTC'
      const { zone: utcZone, ...inUtc } = evaluate()
      assert.equal(utcZone, 'UTC')
      assert.deepEqual(inUtc, expected)
    } finally {
      if (original === undefined) delete process.env.TZ
      else process.env.TZ = original
    }
  })
})
