import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import JobQueue from '#services/jobs/job_queue'
import fieldEncryption from '#services/field_encryption'
import FlakyJob, { attemptLog } from '#tests/fixtures/jobs/flaky_job'
import NoopMailJob from '#tests/fixtures/jobs/noop_mail_job'
import TrackedTaskJob, { runLog } from '#tests/fixtures/jobs/tracked_task_job'
import { verificationMailPayload } from '#tests/queue_helpers'

/** A queue name of its own per test, so rows of other tests' jobs never count. */
const queueName = () => `hq-test-${randomUUID().slice(0, 8)}`

/** Dispatches a job that always fails, retried after `delayMs`; returns its key once it first ran. */
async function startFailingJob(queue: string, attempts: number, delayMs: number) {
  const key = randomUUID()
  await JobQueue.dispatch(
    FlakyJob,
    { key, failures: 99 },
    { queueName: queue, attempts, backoff: { type: 'fixed', delay: delayMs } }
  )
  while (!attemptLog.get(key)) await new Promise((resolve) => setTimeout(resolve, 2))
  return key
}

test.group('Job queue in the web process (no REDIS_HOST)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a dispatched job does not run synchronously, and runs once', async ({ assert }) => {
    const key = randomUUID()
    await JobQueue.dispatch(FlakyJob, { key, failures: 0 }, { queueName: queueName() })
    assert.isUndefined(attemptLog.get(key), 'not run inside the caller')
    await JobQueue.idle()
    assert.lengthOf(attemptLog.get(key)!, 1)
  })

  test('long tasks run one at a time, and a mail does not wait behind them', async ({ assert }) => {
    const key = randomUUID()
    for (let index = 0; index < 3; index++) {
      await JobQueue.dispatch(TrackedTaskJob, { key, ms: 40 })
    }
    const mailKey = randomUUID()
    await JobQueue.dispatch(FlakyJob, { key: mailKey, failures: 0 }, { queueName: 'default' })
    await JobQueue.idle()
    const runs = runLog.get(key)!.sort((a, b) => a[0] - b[0])
    assert.lengthOf(runs, 3)
    for (let index = 1; index < runs.length; index++) {
      assert.isAtLeast(
        runs[index][0],
        runs[index - 1][1],
        'the next task starts after the previous ends'
      )
    }
    const mailStarted = attemptLog.get(mailKey)![0]
    assert.isBelow(
      mailStarted - performance.timeOrigin,
      runs[0][1],
      'the mail ran during the first task'
    )
  })

  test('a failing job is retried with exponential backoff until it succeeds', async ({
    assert,
  }) => {
    const key = randomUUID()
    const queue = queueName()
    await JobQueue.dispatch(
      FlakyJob,
      { key, failures: 2 },
      { queueName: queue, attempts: 5, backoff: { type: 'exponential', delay: 40 } }
    )
    await JobQueue.idle()
    const [first, second, third] = attemptLog.get(key)!
    assert.lengthOf(attemptLog.get(key)!, 3)
    assert.isAtLeast(second - first, 39, 'first retry after the delay')
    assert.isAtLeast(third - second, 79, 'second retry after twice the delay')
    assert.lengthOf(await db.from('failed_jobs').where('queue', queue), 0)
  })

  test('a job still failing after its attempts is recorded in failed_jobs, payload encrypted', async ({
    assert,
  }) => {
    const key = `secret-${randomUUID()}`
    const queue = queueName()
    await JobQueue.dispatch(
      FlakyJob,
      { key, failures: 99 },
      { queueName: queue, attempts: 3, backoff: { type: 'fixed', delay: 1 } }
    )
    await JobQueue.idle()
    assert.lengthOf(attemptLog.get(key)!, 3)
    const [row] = await db.from('failed_jobs').where('queue', queue)
    assert.exists(row)
    assert.match(row.job, /tests\/fixtures\/jobs\/flaky_job\.ts$/)
    assert.equal(row.attempts, 3)
    assert.equal(row.error, 'planned failure 3')
    assert.isNull(row.retried_at)
    assert.notInclude(row.payload_encrypted, key)
    assert.deepEqual(JSON.parse(fieldEncryption.decrypt(row.payload_encrypted)), {
      key,
      failures: 99,
    })
  })

  test('on shutdown, a job waiting for its retry is recorded as failed, not lost', async ({
    assert,
  }) => {
    const queue = queueName()
    await startFailingJob(queue, 5, 60_000)
    await JobQueue.drain(20)
    assert.equal(JobQueue.pending, 0)
    const [row] = await db.from('failed_jobs').where('queue', queue)
    assert.equal(row.attempts, 1)
    assert.include(row.error, 'planned failure 1')
    assert.include(row.error, 'shut down')
  })

  test('at the end of a test its jobs settle: the running one ends, the others never run', async ({
    assert,
  }) => {
    const running = randomUUID()
    const ready = randomUUID()
    const queue = queueName()
    // `tasks` runs one at a time: the second waits for a place.
    await JobQueue.dispatch(TrackedTaskJob, { key: running, ms: 60 })
    await JobQueue.dispatch(TrackedTaskJob, { key: ready, ms: 1 })
    const flaky = await startFailingJob(queue, 5, 50)

    await JobQueue.settle(5_000)
    assert.equal(JobQueue.pending, 0)
    assert.lengthOf(runLog.get(running)!, 1, 'the running job was waited for')
    await new Promise((resolve) => setTimeout(resolve, 120))
    assert.isUndefined(runLog.get(ready), 'the job waiting for a place never ran')
    assert.lengthOf(attemptLog.get(flaky)!, 1, 'the job waiting for its retry never ran again')
    assert.lengthOf(await db.from('failed_jobs').where('queue', queue), 0)
  })

  test('figure: no-op mail jobs per second in the web process', async ({ assert }) => {
    const payload = await verificationMailPayload('figure@example.jp')
    const count = 500
    const started = performance.now()
    for (let i = 0; i < count; i++) await JobQueue.dispatch(NoopMailJob, payload)
    await JobQueue.idle()
    const seconds = (performance.now() - started) / 1000
    console.log(
      `in-process queue: ${count} no-op mail jobs in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} jobs/s`
    )
    assert.equal(JobQueue.pending, 0)
  })
})

test.group('Jobs end with their test (tests/bootstrap.ts)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  const leftBehind = `left-behind-${randomUUID().slice(0, 8)}`

  test('a test ends while its job waits to retry', async () => {
    await startFailingJob(leftBehind, 2, 30)
  })

  test('the job never wrote outside that test’s rolled-back transaction', async ({ assert }) => {
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(await db.from('failed_jobs').where('queue', leftBehind), 0)
  })
})
