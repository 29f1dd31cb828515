import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import OversightDuty from '#models/oversight_duty'
import type { DutyState } from '#enums/register'

const duty = (state: DutyState, dueOn: string) => {
  const row = new OversightDuty()
  row.merge({ state, dueOn: DateTime.fromISO(dueOn, { zone: 'Asia/Tokyo' }) })
  return row
}

const today = DateTime.fromISO('2026-11-26', { zone: 'Asia/Tokyo' })

test.group('Oversight duty status', () => {
  test('open: due, then overdue after its due date', ({ assert }) => {
    assert.equal(duty('open', '2026-11-26').statusOn(today), 'due')
    assert.equal(duty('open', '2026-11-25').statusOn(today), 'overdue')
  })

  test('submitted (提出済・確認待ち) stays so, even past the due date: the ward has to check', ({
    assert,
  }) => {
    assert.equal(duty('submitted', '2026-12-31').statusOn(today), 'submitted')
    assert.equal(duty('submitted', '2026-01-31').statusOn(today), 'submitted')
    assert.isFalse(duty('submitted', '2026-01-31').isOutstanding)
  })

  test('sent back (差戻し) is owed again: 差戻し until the due date, overdue after it', ({
    assert,
  }) => {
    assert.equal(duty('returned', '2026-12-31').statusOn(today), 'returned')
    assert.equal(duty('returned', '2026-11-01').statusOn(today), 'overdue')
    assert.isTrue(duty('returned', '2026-11-01').isOutstanding)
  })

  test('satisfied and waived whatever the date', ({ assert }) => {
    assert.equal(duty('satisfied', '2020-01-01').statusOn(today), 'satisfied')
    assert.equal(duty('waived', '2020-01-01').statusOn(today), 'waived')
  })
})
