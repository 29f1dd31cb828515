import { execFile } from 'node:child_process'
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import cron from 'node-cron'
import db from '@adonisjs/lucid/services/db'
import lock from '@adonisjs/lock/services/main'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import JobRunner, { type LockStoreName } from '#services/jobs/job_runner'
import AuditLogger from '#services/audit_logger'
import AuditVerifier from '#services/audit_verifier'
import Clock, { FixedClock } from '#services/clock'
import { scheduledJobs } from '#jobs/registry'
import ScheduledTickJob from '#jobs/scheduled_tick_job'
import VerifyAuditChainJob from '#jobs/verify_audit_chain_job'
import JobQueue from '#services/jobs/job_queue'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** This run's lock keys and job names: parallel runs (and CI) share one Redis. */
const RUN = `test-${process.pid}-${randomBytes(3).toString('hex')}`
const KEY_PREFIX = `${RUN}:`

/** Redis on 127.0.0.1:6379 (CI has it); without it the Redis store's tests are skipped. */
const redisReachable = await new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port: 6379, timeout: 500 })
  const done = (ok: boolean) => {
    socket.destroy()
    resolve(ok)
  }
  socket.once('connect', () => done(true))
  socket.once('error', () => done(false))
  socket.once('timeout', () => done(false))
})
const REDIS_SKIPPED = 'Redis is not reachable on 127.0.0.1:6379'
if (!redisReachable) console.log(`Redis lock store tests skipped: ${REDIS_SKIPPED}`)

/** One app instance's runner on the given store, its ticks from the container's Clock. */
async function instance(store: LockStoreName): Promise<JobRunner> {
  const runner = await app.container.make(JobRunner)
  return runner.onStore(store).withKeyPrefix(KEY_PREFIX)
}

/** A job that takes a while and counts its runs. */
function slowJob(ms = 200) {
  const job = {
    runs: 0,
    work: async () => {
      job.runs++
      await sleep(ms)
      return 'done'
    },
  }
  return job
}

async function lastRun(name: string) {
  return db.from('job_locks').where('name', name).first()
}

/**
 * The locks: @adonisjs/lock's database store writes through its own connection (outside a
 * test transaction, which on SQLite would hold the only one), so these tests run without
 * one and remove their keys and rows.
 */
for (const store of ['database', 'redis'] as const) {
  test.group(`Scheduled jobs: locks on the ${store} store`, (group) => {
    let count = 0
    const names: string[] = []
    /** A job name of its own for each test. */
    const jobName = () => {
      const name = `${RUN}-${store}-${++count}`
      names.push(name)
      return name
    }

    group.each.teardown(async () => {
      if (store === 'database')
        await db.from('locks').where('key', 'like', `${KEY_PREFIX}%`).delete()
      await db.from('job_locks').whereIn('name', names).delete()
    })
    group.teardown(async () => {
      if (store !== 'redis' || !redisReachable) return
      const redis = await import('@adonisjs/redis/services/main').then((module) => module.default)
      const keys = await redis.keys(`daicho:${KEY_PREFIX}*`)
      if (keys.length > 0) await redis.del(...keys.map((key) => key.replace(/^daicho:/, '')))
    })

    const skip = store === 'redis' && !redisReachable

    test('two instances firing the same tick with a slow job: one runs it, the other skips', async ({
      assert,
    }) => {
      const name = jobName()
      const [first, second] = [await instance(store), await instance(store)]
      const tick = DateTime.fromISO('2026-04-01T08:00:00+09:00')
      const job = slowJob()
      const outcomes = await Promise.all([
        first.runTick(name, 60_000, job.work, tick),
        second.runTick(name, 60_000, job.work, tick),
      ])
      assert.equal(job.runs, 1)
      assert.sameMembers(
        outcomes.map((outcome) => outcome.status),
        ['succeeded', 'skipped']
      )
      const skipped = outcomes.find((outcome) => outcome.status === 'skipped')!
      assert.equal(skipped.message, 'another instance is running this job')
      const last = await lastRun(name)
      assert.equal(last?.last_status, 'succeeded')
      assert.equal(last?.last_message, 'done')
      assert.isNotNull(last?.last_finished_at)
      assert.isFalse(await lock.use(store).createLock(first.runningKey(name)).isLocked())
    }).skip(skip, REDIS_SKIPPED)

    test('an instance firing the same tick after the first one finished does not run it again', async ({
      assert,
      cleanup,
    }) => {
      const name = jobName()
      const tick = DateTime.fromISO('2026-04-01T08:00:00+09:00')
      // Ticks come from the container's Clock: both instances at 08:00 on the same day.
      app.container.swap(Clock, () => new FixedClock(tick.plus({ seconds: 5 })))
      cleanup(() => app.container.restore(Clock))
      const [first, second] = [await instance(store), await instance(store)]
      const job = slowJob(20)

      const onTime = await first.runTick(name, 60_000, job.work)
      assert.equal(onTime.status, 'succeeded')
      const late = await second.runTick(name, 60_000, job.work)
      assert.equal(late.status, 'skipped')
      assert.equal(late.message, 'this tick already ran on another instance')
      assert.equal(job.runs, 1)
      assert.isTrue(await lock.use(store).createLock(first.tickKey(name, tick)).isLocked())

      // The next day's 08:00 is another tick: it runs.
      app.container.swap(Clock, () => new FixedClock(tick.plus({ days: 1 })))
      const nextDayInstance = await instance(store)
      const nextDay = await nextDayInstance.runTick(name, 60_000, job.work)
      assert.equal(nextDay.status, 'succeeded')
      assert.equal(job.runs, 2)
    }).skip(skip, REDIS_SKIPPED)

    test("a crashed instance's lock expires after the job's lease and another instance runs the job", async ({
      assert,
    }) => {
      const name = jobName()
      const survivor = await instance(store)
      // The crashed instance took the job's lock with a 300 ms lease and never released it.
      const crashed = lock.use(store).createLock(survivor.runningKey(name), 300)
      assert.isTrue(await crashed.acquireImmediately())
      const job = slowJob(0)

      const held = await survivor.runTick(name, 60_000, job.work, DateTime.now())
      assert.equal(held.status, 'skipped')
      await sleep(400)
      const taken = await survivor.runExclusive(name, 60_000, job.work)
      assert.equal(taken.status, 'succeeded')
      assert.equal(job.runs, 1)
    }).skip(skip, REDIS_SKIPPED)

    test('jobs:run runs under the same lock: it skips while a tick runs, and a tick skips while it runs', async ({
      assert,
    }) => {
      const name = jobName()
      const [scheduler, byHand] = [await instance(store), await instance(store)]
      const job = slowJob()
      const [tick, manual] = await Promise.all([
        scheduler.runTick(name, 60_000, job.work, DateTime.now()),
        sleep(50).then(() => byHand.runExclusive(name, 60_000, job.work)),
      ])
      assert.equal(tick.status, 'succeeded')
      assert.equal(manual.status, 'skipped')

      const [manualFirst, tickLater] = await Promise.all([
        byHand.runExclusive(name, 60_000, job.work),
        sleep(50).then(() =>
          scheduler.runTick(name, 60_000, job.work, DateTime.now().plus({ days: 1 }))
        ),
      ])
      assert.equal(manualFirst.status, 'succeeded')
      assert.equal(tickLater.status, 'skipped')
      assert.equal(job.runs, 2)
    }).skip(skip, REDIS_SKIPPED)

    test('expired tick marks do not pile up in the locks table', async ({ assert }) => {
      const name = jobName()
      const me = await instance(store)
      const old = me.tickKey(name, DateTime.fromISO('2026-03-01T08:00:00+09:00'))
      await db.table('locks').insert({ key: old, owner: 'gone', expiration: Date.now() - 1 })
      const tick = DateTime.now()
      const outcome = await me.runTick(name, 60_000, async () => 'ok', tick)
      assert.equal(outcome.status, 'succeeded')
      assert.isNull(await db.from('locks').where('key', old).first())
      assert.isNotNull(await db.from('locks').where('key', me.tickKey(name, tick)).first())
    }).skip(store !== 'database', 'only the database store keeps expired keys')

    test('a failing job records its failure and frees the lock', async ({ assert }) => {
      const name = jobName()
      const me = await instance(store)
      const outcome = await me.runExclusive(name, 60_000, async () => {
        throw new Error('boom')
      })
      assert.equal(outcome.status, 'failed')
      const last = await lastRun(name)
      assert.equal(last?.last_status, 'failed')
      assert.equal(last?.last_message, 'boom')
      const again = await me.runExclusive(name, 60_000, async () => 'fine now')
      assert.equal(again.status, 'succeeded')
      const lastAgain = await lastRun(name)
      assert.equal(lastAgain?.last_message, 'fine now')
    }).skip(skip, REDIS_SKIPPED)
  })
}

test.group('Scheduled jobs: the ace command and the store in use', (group) => {
  const run = promisify(execFile)

  test('a tick goes through the queue and runs once, however many instances queue it', async ({
    assert,
    cleanup,
  }) => {
    const runFn = VerifyAuditChainJob.prototype.run
    let runs = 0
    VerifyAuditChainJob.prototype.run = async () => {
      runs++
      return 'counted'
    }
    cleanup(() => {
      VerifyAuditChainJob.prototype.run = runFn
    })
    const job = new VerifyAuditChainJob()
    // A tick of its own (tomorrow), as two instances' schedulers would queue it.
    const tick = DateTime.now().plus({ days: 1 }).startOf('second').toISO()!
    await JobQueue.dispatch(ScheduledTickJob, { job: job.name, tick })
    await JobQueue.dispatch(ScheduledTickJob, { job: job.name, tick })
    await JobQueue.idle()
    const runner = await app.container.make(JobRunner)
    cleanup(() =>
      lock
        .use(runner.store)
        .createLock(runner.tickKey(job.name, DateTime.fromISO(tick)))
        .forceRelease()
    )
    assert.equal(runs, 1)
    const after = await lastRun(job.name)
    assert.equal(after?.last_message, 'counted')
  })

  test('jobs:run skips a job that an instance is running', async ({ assert, cleanup }) => {
    const ace = await import('@adonisjs/core/services/ace').then((module) => module.default)
    const runner = await app.container.make(JobRunner)
    const [job] = await scheduledJobs()
    const before = await lastRun(job.name)
    const running = lock.use(runner.store).createLock(runner.runningKey(job.name), 60_000)
    assert.isTrue(await running.acquire({ retry: { timeout: 30_000 } }))
    cleanup(() => running.release())

    const command = await ace.exec('jobs:run', [job.name])
    assert.equal(command.exitCode, 0)
    const after = await lastRun(job.name)
    assert.equal(String(after?.last_started_at), String(before?.last_started_at))
  })

  test('with LOCK_STORE=redis the jobs take their locks in Redis', async ({ assert, cleanup }) => {
    const runner = await app.container.make(JobRunner)
    const [job] = await scheduledJobs()
    // Another instance on the Redis store runs the job (a run elsewhere using the same key waits).
    const running = lock.use('redis').createLock(runner.runningKey(job.name), 60_000)
    assert.isTrue(await running.acquire({ retry: { timeout: 30_000 } }))
    cleanup(() => running.release())

    const { stdout } = await run('node', ['ace', 'jobs:run', job.name], {
      cwd: app.makePath(),
      env: { ...process.env, LOCK_STORE: 'redis', REDIS_HOST: '127.0.0.1', REDIS_PORT: '6379' },
      timeout: 60_000,
    })
    assert.include(stdout, `${job.name}: skipped: another instance is running this job`)
  })
    .skip(!redisReachable, REDIS_SKIPPED)
    .timeout(90_000)

  group.each.timeout(60_000)
})

test.group('Scheduled jobs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("a signed audit checkpoint carries the time of the container's Clock", async ({
    assert,
    cleanup,
  }) => {
    const instant = DateTime.fromISO('2026-04-01T09:00:00+09:00')
    app.container.swap(Clock, () => new FixedClock(instant))
    cleanup(() => app.container.restore(Clock))
    await AuditLogger.system.record({
      action: 'test.entry',
      subject: { type: 'Test', id: 1 },
      changedFields: ['name'],
    })
    const result = await AuditVerifier.verify({ checkpoint: true })
    assert.isTrue(result.ok)
    assert.equal(result.recorded?.createdAt, '2026-04-01T00:00:00.000Z')
  })

  test('every scheduled job is runnable as an ace command', async ({ assert, cleanup }) => {
    // The jobs write inside this test's transaction; the database lock store's own connection
    // would wait for it on SQLite, so the command's runner takes its lock in memory here.
    app.container.swap(JobRunner, async (resolver) =>
      new JobRunner(await resolver.make(Clock)).onStore('memory')
    )
    cleanup(() => app.container.restore(JobRunner))
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
