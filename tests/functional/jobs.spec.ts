import { test } from '@japa/runner'
import cron from 'node-cron'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import JobRunner from '#services/jobs/job_runner'
import AuditLogger from '#services/audit_logger'
import AuditVerifier from '#services/audit_verifier'
import Clock, { FixedClock } from '#services/clock'
import { scheduledJobs } from '#jobs/registry'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A runner made by the container (with its Clock), under the given instance name. */
async function runner(instanceId: string): Promise<JobRunner> {
  const made = await app.container.make(JobRunner)
  return made.as(instanceId)
}

test.group('Scheduled jobs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('two instances start the same job: only one runs it', async ({ assert }) => {
    const first = await runner('instance-a')
    const second = await runner('instance-b')
    let runs = 0
    const work = async () => {
      runs++
      await sleep(100)
      return 'done'
    }
    const outcomes = await Promise.all([
      first.runExclusive('test-job', 60_000, work),
      second.runExclusive('test-job', 60_000, work),
    ])
    assert.equal(runs, 1)
    assert.sameMembers(
      outcomes.map((o) => o.status),
      ['succeeded', 'skipped']
    )
    const lock = await db.from('job_locks').where('name', 'test-job').firstOrFail()
    assert.equal(lock.last_status, 'succeeded')
    assert.equal(Number(lock.locked_until), 0)
  })

  test('a lease left by a crashed instance expires and can be taken over', async ({ assert }) => {
    await db
      .table('job_locks')
      .insert({ name: 'crashed-job', locked_by: 'dead-instance', locked_until: Date.now() - 1 })
    const survivor = await runner('survivor')
    const outcome = await survivor.runExclusive('crashed-job', 60_000, async () => 'recovered')
    assert.equal(outcome.status, 'succeeded')
  })

  test('a lease still held by a live instance is respected', async ({ assert }) => {
    await db
      .table('job_locks')
      .insert({ name: 'busy-job', locked_by: 'other', locked_until: Date.now() + 60_000 })
    let ran = false
    const me = await runner('me')
    const outcome = await me.runExclusive('busy-job', 60_000, async () => {
      ran = true
    })
    assert.isFalse(ran)
    assert.equal(outcome.status, 'skipped')
  })

  test('leases are measured by the Clock the container gives', async ({ assert, cleanup }) => {
    const now = DateTime.now()
    await db
      .table('job_locks')
      .insert({ name: 'clocked-job', locked_by: 'other', locked_until: now.toMillis() + 60_000 })
    const beforeSwap = await runner('me')
    const held = await beforeSwap.runExclusive('clocked-job', 60_000, async () => 'ran')
    assert.equal(held.status, 'skipped')

    // Two minutes later by the swapped clock, the other instance's lease has run out.
    app.container.swap(Clock, () => new FixedClock(now.plus({ minutes: 2 })))
    cleanup(() => app.container.restore(Clock))
    const afterSwap = await runner('me')
    const taken = await afterSwap.runExclusive('clocked-job', 60_000, async () => 'ran')
    assert.equal(taken.status, 'succeeded')
  })

  test("a signed audit checkpoint carries the time of the container's Clock", async ({
    assert,
    cleanup,
  }) => {
    const instant = DateTime.fromISO('2026-04-01T09:00:00+09:00')
    app.container.swap(Clock, () => new FixedClock(instant))
    cleanup(() => app.container.restore(Clock))
    await AuditLogger.record({
      action: 'test.entry',
      subject: { type: 'Test', id: 1 },
      changedFields: ['name'],
    })
    const result = await AuditVerifier.verify({ checkpoint: true })
    assert.isTrue(result.ok)
    assert.equal(result.recorded?.createdAt, '2026-04-01T00:00:00.000Z')
  })

  test('a failing job records its failure and frees the lock', async ({ assert }) => {
    const me = await runner('me')
    const outcome = await me.runExclusive('failing-job', 60_000, async () => {
      throw new Error('boom')
    })
    assert.equal(outcome.status, 'failed')
    const lock = await db.from('job_locks').where('name', 'failing-job').firstOrFail()
    assert.equal(lock.last_status, 'failed')
    assert.equal(lock.last_message, 'boom')
    assert.equal(Number(lock.locked_until), 0)
  })

  test('every scheduled job is runnable as an ace command', async ({ assert }) => {
    const ace = await import('@adonisjs/core/services/ace').then((module) => module.default)
    for (const job of await scheduledJobs()) {
      const command = await ace.exec('jobs:run', [job.name])
      assert.equal(command.exitCode, 0, `jobs:run ${job.name}`)
    }
    const unknown = await ace.exec('jobs:run', ['no-such-job'])
    assert.equal(unknown.exitCode, 1)
  })

  test('the scheduler is not started outside the web process', ({ assert }) => {
    assert.equal(cron.getTasks().size, 0)
  })
})
