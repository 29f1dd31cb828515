import { test } from '@japa/runner'
import { scheduleOverrides } from '#jobs/registry'

const NAMES = ['audit-verify', 'duties-refresh', 'opinion-alerts']

test.group('JOB_SCHEDULES', () => {
  test('moves the named jobs to other times; unset, every job keeps its own', ({ assert }) => {
    assert.deepEqual(
      [...scheduleOverrides('audit-verify=0 4 * * *; opinion-alerts = 30 8,13 * * 1-5 ;', NAMES)],
      [
        ['audit-verify', '0 4 * * *'],
        ['opinion-alerts', '30 8,13 * * 1-5'],
      ]
    )
    assert.equal(scheduleOverrides(undefined, NAMES).size, 0)
    assert.equal(scheduleOverrides('', NAMES).size, 0)
  })

  test('a six-field expression starts with seconds', ({ assert }) => {
    assert.deepEqual(
      [...scheduleOverrides('audit-verify=*/2 * * * * *', NAMES)],
      [['audit-verify', '*/2 * * * * *']]
    )
  })

  test('off switches a job off; * stands for every job not named', ({ assert }) => {
    assert.deepEqual(
      [...scheduleOverrides('opinion-alerts=off', NAMES)],
      [['opinion-alerts', 'off']]
    )
    assert.deepEqual(
      [...scheduleOverrides('*=off; audit-verify=*/2 * * * * *', NAMES)],
      [
        ['audit-verify', '*/2 * * * * *'],
        ['duties-refresh', 'off'],
        ['opinion-alerts', 'off'],
      ]
    )
    // Named after *, a job still keeps its own line.
    assert.deepEqual(
      [...scheduleOverrides('duties-refresh=0 2 * * *;*=30 3 * * *', NAMES)],
      [
        ['duties-refresh', '0 2 * * *'],
        ['audit-verify', '30 3 * * *'],
        ['opinion-alerts', '30 3 * * *'],
      ]
    )
    assert.throws(
      () => scheduleOverrides('*=never', NAMES),
      'JOB_SCHEDULES: "never" is not a cron expression or off (job *)'
    )
  })

  test('an unknown job or a malformed expression stops the start', ({ assert }) => {
    assert.throws(
      () => scheduleOverrides('audit-check=0 4 * * *', NAMES),
      'JOB_SCHEDULES: "audit-check=0 4 * * *" does not name a scheduled job (audit-verify, duties-refresh, opinion-alerts, or * for every other)'
    )
    assert.throws(
      () => scheduleOverrides('0 4 * * *', NAMES),
      /JOB_SCHEDULES: "0 4 \* \* \*" does not name a scheduled job/
    )
    assert.throws(
      () => scheduleOverrides('audit-verify=every night', NAMES),
      'JOB_SCHEDULES: "every night" is not a cron expression or off (job audit-verify)'
    )
    assert.throws(
      () => scheduleOverrides('audit-verify=61 4 * * *', NAMES),
      'JOB_SCHEDULES: "61 4 * * *" is not a cron expression or off (job audit-verify)'
    )
  })
})
