import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import JobQueue from '#services/jobs/job_queue'
import fieldEncryption from '#services/field_encryption'
import FlakyJob from '#tests/fixtures/jobs/flaky_job'
import NoopMailJob from '#tests/fixtures/jobs/noop_mail_job'
import { redisReachable, until, verificationMailPayload } from '#tests/queue_helpers'

const REDIS_HOST = '127.0.0.1'
/** This run's own queue, so parallel runs on one Redis never take each other's jobs. */
const QUEUE = `daicho-test-${process.pid}-${randomUUID().slice(0, 6)}`

const reachable = await redisReachable(REDIS_HOST)
const SKIP_REASON = `Redis not reachable on ${REDIS_HOST}:6379`
if (!reachable) console.log(`BullMQ queue tests skipped: ${SKIP_REASON}`)

/** `node ace queue:listen` on this run's queue and database, as a worker machine runs it. */
function startWorker(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', 'queue:listen', '--queue', QUEUE], {
      cwd: app.makePath(),
      env: { ...process.env, REDIS_HOST, LOG_LEVEL: 'info' },
    })
    let output = ''
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000)
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('processing started')) {
        clearTimeout(timer)
        resolve(child)
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.once('exit', (code) => reject(new Error(`worker exited (${code}):\n${output}`)))
  })
}

async function bullQueue() {
  const { default: queue } = await import('@rlanz/bull-queue/services/main')
  return queue.getOrSet(QUEUE)
}

// No global transaction: the worker process writes failed_jobs in the same database.
test.group('Job queue on Redis (BullMQ, REDIS_HOST set)', (group) => {
  let worker: ChildProcess | undefined
  let redisHost: string | undefined

  group.setup(async () => {
    if (!reachable) return
    redisHost = env.get('REDIS_HOST')
    env.set('REDIS_HOST', REDIS_HOST)
    worker = await startWorker()
  })

  group.teardown(async () => {
    if (!reachable) return
    // Stopped at once: nothing of this run's queue is left to finish.
    worker?.removeAllListeners('exit')
    worker?.stdout?.destroy()
    worker?.stderr?.destroy()
    worker?.kill('SIGKILL')
    const { default: queue } = await import('@rlanz/bull-queue/services/main')
    await queue.clear(QUEUE)
    // The connections of this run's queues (the provider would close them only at the very end).
    await queue.closeAll()
    await db.from('failed_jobs').where('queue', QUEUE).delete()
    env.set('REDIS_HOST', redisHost as string)
    if (redisHost === undefined) delete process.env.REDIS_HOST
  })

  test('a dispatched job goes to Redis and a worker process runs it', async ({ assert }) => {
    assert.isTrue(JobQueue.usesRedis)
    const { id } = await JobQueue.dispatch(
      FlakyJob,
      { key: randomUUID(), failures: 0 },
      { queueName: QUEUE }
    )
    assert.equal(JobQueue.pending, 0, 'nothing runs in this process')
    const queue = await bullQueue()
    const finished = async () => {
      const job = await queue.getJob(id!)
      return job?.finishedOn !== undefined
    }
    await until(finished)
    const job = await queue.getJob(id!)
    assert.isTrue(await job!.isCompleted())
  })
    .skip(!reachable, SKIP_REASON)
    .timeout(90_000)

  test('a job failing every attempt is retried, then rescue records it in failed_jobs', async ({
    assert,
  }) => {
    const key = randomUUID()
    await JobQueue.dispatch(
      FlakyJob,
      { key, failures: 99 },
      { queueName: QUEUE, attempts: 3, backoff: { type: 'exponential', delay: 10 } }
    )
    await until(async () =>
      Boolean(await db.from('failed_jobs').where('queue', QUEUE).where('attempts', 3).first())
    )
    const row = await db.from('failed_jobs').where('queue', QUEUE).where('attempts', 3).first()
    assert.match(row.job, /tests\/fixtures\/jobs\/flaky_job\.ts$/)
    assert.equal(row.error, 'planned failure 3')
    assert.notInclude(row.payload_encrypted, key)
    assert.deepEqual(JSON.parse(fieldEncryption.decrypt(row.payload_encrypted)), {
      key,
      failures: 99,
    })
  })
    .skip(!reachable, SKIP_REASON)
    .timeout(90_000)

  test('figure: no-op mail jobs per second through Redis and one worker process', async ({
    assert,
  }) => {
    const payload = await verificationMailPayload('figure@example.jp')
    const queue = await bullQueue()
    const completed = async () => {
      const counts = await queue.getJobCounts('completed')
      return counts.completed
    }
    const before = await completed()
    const count = 300
    const started = performance.now()
    for (let i = 0; i < count; i++)
      await JobQueue.dispatch(NoopMailJob, payload, { queueName: QUEUE })
    await until(async () => (await completed()) >= before + count, 120_000)
    const seconds = (performance.now() - started) / 1000
    console.log(
      `BullMQ on Redis: ${count} no-op mail jobs in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} jobs/s (one worker, concurrency 1)`
    )
    assert.isAtLeast(await completed(), before + count)
  })
    .skip(!reachable, SKIP_REASON)
    .timeout(180_000)
})
