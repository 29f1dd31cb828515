import WardCalendar from '#services/ward_calendar'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import IncidentReportability, { type IncidentFacts } from '#services/incident_reportability'
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
    assert.deepEqual(IncidentReportability.decide(facts()), { reportable: false, reasons: [], peopleUnknown: false })
  })

  test('special-care data makes it reportable whatever the number of people', ({ assert }) => {
    const decision = IncidentReportability.decide(facts({ specialCareCategories: [null, 'medical_history'], peopleAffected: 1 }))
    assert.isTrue(decision.reportable)
    assert.deepEqual(decision.reasons, ['special_care'])
  })

  test('ordinance special care is its own reason', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts({ specialCareCategories: ['ordinance'] })).reasons, ['ordinance_special_care'])
    assert.deepEqual(IncidentReportability.decide(facts({ specialCareCategories: ['ordinance', 'disability'] })).reasons, [
      'special_care',
      'ordinance_special_care',
    ])
  })

  test('more than 100 people is reportable, exactly 100 is not', ({ assert }) => {
    assert.isFalse(IncidentReportability.decide(facts({ peopleAffected: 100 })).reportable)
    assert.deepEqual(IncidentReportability.decide(facts({ peopleAffected: 101 })).reasons, ['over_100_people'])
    assert.isFalse(IncidentReportability.decide(facts({ peopleAffected: 0 })).reportable)
  })

  test('an unknown number of people is flagged, not decided', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts({ peopleAffected: null })), { reportable: false, reasons: [], peopleUnknown: true })
  })

  test('possible financial damage and a suspected improper purpose', ({ assert }) => {
    assert.deepEqual(IncidentReportability.decide(facts({ financialDamageRisk: true })).reasons, ['financial_damage'])
    assert.deepEqual(IncidentReportability.decide(facts({ improperPurposeSuspected: true })).reasons, ['improper_purpose'])
  })

  test('every reason at once, in the order of the rule', ({ assert }) => {
    const decision = IncidentReportability.decide({
      specialCareCategories: ['ordinance', 'criminal_record'],
      peopleAffected: 5000,
      financialDamageRisk: true,
      improperPurposeSuspected: true,
    })
    assert.deepEqual(decision.reasons, ['special_care', 'financial_damage', 'improper_purpose', 'over_100_people', 'ordinance_special_care'])
  })
})

test.group('IncidentReportability: deadlines', () => {
  test('速報 5 days and 確報 30 days after discovery, across the new year', ({ assert }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), false)
    assert.equal(day(due.preliminaryWarnOn), '2026-12-31')
    assert.equal(day(due.preliminaryDueOn), '2027-01-02')
    assert.equal(day(due.finalDueOn), '2027-01-27')
    assert.equal(due.finalDays, 30)
  })

  test('確報 60 days when an improper purpose is suspected', ({ assert }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), true)
    assert.equal(day(due.preliminaryDueOn), '2027-01-02')
    assert.equal(day(due.finalDueOn), '2027-02-26')
    assert.equal(due.finalDays, 60)
  })

  test('the day of discovery is the ward’s, whatever zone the moment comes in', ({ assert }) => {
    // 2026-03-31T15:30Z is already 4/1 00:30 in Tokyo.
    const due = IncidentReportability.deadlines(DateTime.fromISO('2026-03-31T15:30:00Z', { zone: 'utc' }), false)
    assert.equal(day(due.preliminaryDueOn), '2026-04-06')
    assert.equal(day(due.finalDueOn), '2026-05-01')
  })

  test('status: pending, due soon from day 3, overdue after the due day, sent or sent late', ({ assert }) => {
    const due = IncidentReportability.deadlines(jst('2026-12-28T10:00'), false)
    const status = (now: string, sentAt: string | null = null) =>
      IncidentReportability.statusOf(due.preliminaryWarnOn, due.preliminaryDueOn, sentAt ? jst(sentAt) : null, jst(now))
    assert.equal(status('2026-12-30T23:59'), 'pending')
    assert.equal(status('2026-12-31T00:00'), 'due_soon')
    assert.equal(status('2027-01-02T23:59'), 'due_soon')
    assert.equal(status('2027-01-03T00:00'), 'overdue')
    assert.equal(status('2027-01-10T09:00', '2027-01-02T18:00'), 'sent')
    assert.equal(status('2027-01-10T09:00', '2027-01-03T09:00'), 'sent_late')
  })

  test('track: a 確報 sent alone also answers the 速報; nothing to track when not reportable', ({ assert }) => {
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

    const preliminarySent = IncidentReportability.track({ ...state, ppcPreliminarySentAt: jst('2027-01-01T10:00') }, jst('2027-01-22T09:00'))!
    assert.equal(preliminarySent.preliminary.status, 'sent')
    assert.equal(preliminarySent.final.status, 'due_soon')
    assert.equal(day(preliminarySent.nextDueOn!), '2027-01-27')

    const finalOnly = IncidentReportability.track({ ...state, ppcFinalSentAt: jst('2027-01-02T10:00') }, jst('2027-01-05T09:00'))!
    assert.equal(finalOnly.preliminary.status, 'sent')
    assert.equal(finalOnly.final.status, 'sent')
    assert.isNull(finalOnly.nextDueOn)

    assert.isNull(IncidentReportability.track({ ...state, reportable: false }, jst('2027-01-05T09:00')))
  })

  test('form clock values are the ward’s wall-clock time', ({ assert }) => {
    const moment = WardCalendar.fromWallClock(new Date(2026, 11, 28, 10, 0))
    assert.equal(moment.toISO(), '2026-12-28T10:00:00.000+09:00')
    assert.equal(WardCalendar.toWallClock(DateTime.fromISO('2026-12-28T01:00:00Z')), '2026-12-28T10:00')
    assert.equal(WardCalendar.toWallClock(null), '')
  })
})
