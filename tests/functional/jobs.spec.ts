import { test } from '@japa/runner'
import cron from 'node-cron'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import JobRunner from '#services/jobs/job_runner'
import { scheduledJobs } from '#jobs/registry'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test.group('Scheduled jobs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('two instances start the same job: only one runs it', async ({ assert }) => {
    const first = new JobRunner('instance-a')
    const second = new JobRunner('instance-b')
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
    assert.sameMembers(outcomes.map((o) => o.status), ['succeeded', 'skipped'])
    const lock = await db.from('job_locks').where('name', 'test-job').firstOrFail()
    assert.equal(lock.last_status, 'succeeded')
    assert.equal(Number(lock.locked_until), 0)
  })

  test('a lease left by a crashed instance expires and can be taken over', async ({ assert }) => {
    await db.table('job_locks').insert({ name: 'crashed-job', locked_by: 'dead-instance', locked_until: Date.now() - 1 })
    const outcome = await new JobRunner('survivor').runExclusive('crashed-job', 60_000, async () => 'recovered')
    assert.equal(outcome.status, 'succeeded')
  })

  test('a lease still held by a live instance is respected', async ({ assert }) => {
    await db.table('job_locks').insert({ name: 'busy-job', locked_by: 'other', locked_until: Date.now() + 60_000 })
    let ran = false
    const outcome = await new JobRunner('me').runExclusive('busy-job', 60_000, async () => {
      ran = true
    })
    assert.isFalse(ran)
    assert.equal(outcome.status, 'skipped')
  })

  test('a failing job records its failure and frees the lock', async ({ assert }) => {
    const outcome = await new JobRunner('me').runExclusive('failing-job', 60_000, async () => {
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
    for (const job of scheduledJobs()) {
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
