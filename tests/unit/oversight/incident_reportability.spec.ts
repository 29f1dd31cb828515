import WardCalendar from '#services/ward_calendar'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import IncidentReportability, {
  type IncidentFacts,
} from '#services/oversight/incident_reportability'
import { WARD_ZONE } from '#services/ward_calendar'

/** Builds a DateTime in the ward zone from an ISO string ('2026-12-28T10:00'). */
const jst = (iso: string) => DateTime.fromISO(iso, { zone: WARD_ZONE })

const day = (date: DateTime) => date.setZone(WARD_ZONE).toISODate()

const facts = (overrides: Partial<IncidentFacts> = {}): IncidentFacts => ({
  specialCareCategories: [null],
  peopleAffected: 3,
  financialDamageRisk: false,
  improperPurposeSuspected: false,
  ...overrides,
})

test.group('IncidentReportability: reportable cases (規則43条)', () => {
  test('a few people, ordinary items, no risk: not reportable', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts()), {
      reportable: false,
      reasons: [],
      peopleUnknown: false,
    })
  })

  test('special-care data makes it reportable whatever the number of people', ({ assert }) => {
    const decision = IncidentReportability.decide(
      facts({ specialCareCategories: [null, 'medical_history'], peopleAffected: 1 })
    )
    assert.isTrue(decision.reportable)
    assert.deepEqual(decision.reasons, ['special_care'])
  })

  test('ordinance special care is its own reason', ({ assert }) => {
    assert.deepEqual(
      IncidentReportability.decide(facts({ specialCareCategories: ['ordinance'] })).reasons,
      ['ordinance_special_care']
    )
    assert.deepEqual(
      IncidentReportability.decide(facts({ specialCareCategories: ['ordinance', 'disability'] }))
        .reasons,
      ['special_care', 'ordinance_special_care']
    )
  })

  test('more than 100 people is reportable, exactly 100 is not', ({ assert }) => {
    assert.isFalse(IncidentReportability.decide(facts({ peopleAffected: 100 })).reportable)
    assert.deepEqual(IncidentReportability.decide(facts({ peopleAffected: 101 })).reasons, [
      'over_100_people',
    ])
    assert.isFalse(IncidentReportability.decide(facts({ peopleAffected: 0 })).reportable)
  })

  test('an unknown number of people is flagged, not decided', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts({ peopleAffected: null })), {
      reportable: false,
      reasons: [],
      peopleUnknown: true,
    })
  })

  test('possible financial damage and a suspected improper purpose', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts({ financialDamageRisk: true })).reasons, [
      'financial_damage',
    ])
    assert.deepEqual(
      IncidentReportability.decide(facts({ improperPurposeSuspected: true })).reasons,
      ['improper_purpose']
    )
  })

  test('every reason at once, in the order of the rule', ({ assert }) => {
    const decision = IncidentReportability.decide({
      specialCareCategories: ['ordinance', 'criminal_record'],
      peopleAffected: 5000,
      financialDamageRisk: true,
      improperPurposeSuspected: true,
    })
    assert.deepEqual(decision.reasons, [
      'special_care',
      'financial_damage',
      'improper_purpose',
      'over_100_people',
      'ordinance_special_care',
    ])
  })
})

test.group('IncidentReportability: deadlines', () => {
  test('速報 5 days after discovery, 確報 on the 30th day counting discovery as day 1, across the new year', ({
    assert,
  }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), false)
    assert.equal(day(due.preliminaryWarnOn), '2026-12-31')
    assert.equal(day(due.preliminaryDueOn), '2027-01-02')
    assert.equal(day(due.finalDueOn), '2027-01-26')
    assert.equal(due.finalDays, 30)
    assert.isFalse(due.finalMoved)
  })

  test('確報 60 days when an improper purpose is suspected', ({ assert }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), true)
    assert.equal(day(due.preliminaryDueOn), '2027-01-02')
    assert.equal(day(due.finalDueOn), '2027-02-25')
    assert.equal(due.finalDays, 60)
  })

  test('the day of discovery is the ward’s, whatever zone the moment comes in', ({ assert }) => {
    // 2026-03-31T15:30Z is already 4/1 00:30 in Tokyo.
    const due = IncidentReportability.deadlines(
      DateTime.fromISO('2026-03-31T15:30:00Z', { zone: 'utc' }),
      false
    )
    assert.equal(day(due.preliminaryDueOn), '2026-04-06')
    assert.equal(day(due.finalDueOn), '2026-04-30')
  })

  test('status: pending, due soon from day 3, overdue after the due day, sent or sent late', ({
    assert,
  }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), false)
    const status = (now: string, sentAt: string | null = null) =>
      IncidentReportability.statusOf(
        due.preliminaryWarnOn,
        due.preliminaryDueOn,
        sentAt ? jst(sentAt) : null,
        jst(now)
      )
    assert.equal(status('2026-12-30T23:59'), 'pending')
    assert.equal(status('2026-12-31T00:00'), 'due_soon')
    assert.equal(status('2027-01-02T23:59'), 'due_soon')
    assert.equal(status('2027-01-03T00:00'), 'overdue')
    assert.equal(status('2027-01-10T09:00', '2027-01-02T18:00'), 'sent')
    assert.equal(status('2027-01-10T09:00', '2027-01-03T09:00'), 'sent_late')
  })

  test('track: a 確報 sent alone also answers the 速報; nothing to track when not reportable', ({
    assert,
  }) => {
    const state = {
      discoveredAt: jst('2026-12-28T10:00'),
      reportable: true,
      improperPurposeSuspected: false,
      ppcPreliminarySentAt: null,
      ppcFinalSentAt: null,
    }
    const open = IncidentReportability.track(state, jst('2027-01-05T09:00'))!
    assert.equal(open.preliminary.status, 'overdue')
    assert.equal(open.final.status, 'pending')
    assert.equal(day(open.nextDueOn!), '2027-01-02')

    const preliminarySent = IncidentReportability.track(
      { ...state, ppcPreliminarySentAt: jst('2027-01-01T10:00') },
      jst('2027-01-22T09:00')
    )!
    assert.equal(preliminarySent.preliminary.status, 'sent')
    assert.equal(preliminarySent.final.status, 'due_soon')
    assert.equal(day(preliminarySent.nextDueOn!), '2027-01-26')

    const finalOnly = IncidentReportability.track(
      { ...state, ppcFinalSentAt: jst('2027-01-02T10:00') },
      jst('2027-01-05T09:00')
    )!
    assert.equal(finalOnly.preliminary.status, 'sent')
    assert.equal(finalOnly.final.status, 'sent')
    assert.isNull(finalOnly.nextDueOn)

    assert.isNull(
      IncidentReportability.track({ ...state, reportable: false }, jst('2027-01-05T09:00'))
    )
  })

  test('form clock values are the ward’s wall-clock time', ({ assert }) => {
    const moment = WardCalendar.fromWallClock(new Date(2026, 11, 28, 10, 0))
    assert.equal(moment.toISO(), '2026-12-28T10:00:00.000+09:00')
    assert.equal(
      WardCalendar.toWallClock(DateTime.fromISO('2026-12-28T01:00:00Z')),
      '2026-12-28T10:00'
    )
    assert.equal(WardCalendar.toWallClock(null), '')
  })
})

test.group('IncidentReportability: 確報 counted as the PPC counts it (通則編 3-5-3-4)', () => {
  /** 確報 due date, the Nth day before moving, and whether it moved. */
  const final = (discovered: string, improper = false) => {
    const due = IncidentReportability.deadlines(jst(discovered), improper)
    return { due: day(due.finalDueOn), last: day(due.finalLastDay), moved: due.finalMoved }
  }

  test('the day of discovery is day 1: discovered 2026-11-25, due 2026-12-24 (not 12/25)', ({
    assert,
  }) => {
    assert.deepEqual(final('2026-11-25T10:00'), {
      due: '2026-12-24',
      last: '2026-12-24',
      moved: false,
    })
    // Any time of the day of discovery is day 1; the next day starts the count one day later.
    assert.equal(final('2026-11-25T00:00').due, '2026-12-24')
    assert.equal(final('2026-11-25T23:59').due, '2026-12-24')
    assert.equal(final('2026-11-26T00:00').due, '2026-12-25')
    // The day is the ward's: 2026-11-25T15:30Z is 11/26 00:30 in Tokyo.
    assert.equal(
      day(
        IncidentReportability.deadlines(
          DateTime.fromISO('2026-11-25T15:30:00Z', { zone: 'utc' }),
          false
        ).finalDueOn
      ),
      '2026-12-25'
    )
  })

  test('closed days inside the period count; a 30th day on a Saturday moves to Monday', ({
    assert,
  }) => {
    assert.deepEqual(final('2026-06-05T09:00'), {
      due: '2026-07-06',
      last: '2026-07-04',
      moved: true,
    })
  })

  test('year end: a 30th day in 12/29–1/3 moves to the first open day of the new year', ({
    assert,
  }) => {
    assert.deepEqual(final('2026-11-30T09:00'), {
      due: '2027-01-04',
      last: '2026-12-29',
      moved: true,
    })
    assert.deepEqual(final('2026-12-05T09:00'), {
      due: '2027-01-04',
      last: '2027-01-03',
      moved: true,
    })
  })

  test('Golden Week 2026: 5/3 憲法記念日 and 5/6 振替休日 move to 5/7', ({ assert }) => {
    assert.deepEqual(final('2026-04-04T09:00'), {
      due: '2026-05-07',
      last: '2026-05-03',
      moved: true,
    })
    assert.deepEqual(final('2026-04-07T09:00'), {
      due: '2026-05-07',
      last: '2026-05-06',
      moved: true,
    })
  })

  test('Silver Week 2026 (9/19–9/23, 9/22 国民の休日): 30th and 60th days move to 9/24', ({
    assert,
  }) => {
    assert.deepEqual(final('2026-08-24T09:00'), {
      due: '2026-09-24',
      last: '2026-09-22',
      moved: true,
    })
    assert.deepEqual(final('2026-07-22T09:00', true), {
      due: '2026-09-24',
      last: '2026-09-19',
      moved: true,
    })
  })

  test('leap day: 2028-02-29 is counted and is itself a due date; 2032-02-29 (Sunday) moves to 3/1', ({
    assert,
  }) => {
    assert.deepEqual(final('2028-01-31T09:00'), {
      due: '2028-02-29',
      last: '2028-02-29',
      moved: false,
    })
    assert.equal(final('2027-01-31T09:00').due, '2027-03-01', 'no leap day in 2027')
    assert.deepEqual(final('2028-01-01T09:00', true), {
      due: '2028-02-29',
      last: '2028-02-29',
      moved: false,
    })
    assert.deepEqual(final('2032-01-31T09:00'), {
      due: '2032-03-01',
      last: '2032-02-29',
      moved: true,
    })
  })

  test('the warning starts 7 days before the (moved) due date; track shows the basis', ({
    assert,
  }) => {
    const due = IncidentReportability.deadlines(jst('2026-04-07T09:00'), false)
    assert.equal(day(due.finalWarnOn), '2026-04-30')
    const track = IncidentReportability.track(
      {
        discoveredAt: jst('2026-04-07T09:00'),
        reportable: true,
        improperPurposeSuspected: false,
        ppcPreliminarySentAt: null,
        ppcFinalSentAt: null,
      },
      jst('2026-05-07T23:59')
    )!
    assert.equal(track.final.status, 'due_soon', 'still in time on the moved due date')
    assert.deepInclude(track.finalBasis, { days: 30, moved: true })
    assert.equal(day(track.finalBasis.lastDay), '2026-05-06')
    const late = IncidentReportability.track(
      {
        discoveredAt: jst('2026-04-07T09:00'),
        reportable: true,
        improperPurposeSuspected: false,
        ppcPreliminarySentAt: null,
        ppcFinalSentAt: jst('2026-05-08T09:00'),
      },
      jst('2026-05-08T10:00')
    )!
    assert.equal(late.final.status, 'sent_late')
  })

  test('速報 stays a target 5 days after discovery, not moved by closed days', ({ assert }) => {
    // Discovered Tuesday 2026-04-28: 5 days later is 5/3 (憲法記念日); the prompt report is not put off.
    const due = IncidentReportability.deadlines(jst('2026-04-28T09:00'), false)
    assert.equal(day(due.preliminaryDueOn), '2026-05-03')
  })
})
