import { test } from '@japa/runner'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { getPriority } from 'node:os'
import SlowJob from '#tests/fixtures/jobs/slow_job'
import { appEnvironment, startProcess, stopProcess } from '#tests/instance_helpers'
import { redisReachable, until } from '#tests/queue_helpers'

const REDIS_HOST = '127.0.0.1'
/** This run's own queue, so parallel runs on one Redis never take each other's jobs. */
const QUEUE = `daicho-test-listen-${process.pid}-${randomUUID().slice(0, 6)}`

const reachable = await redisReachable(REDIS_HOST)
const SKIP_REASON = `Redis not reachable on ${REDIS_HOST}:6379`

const say = (line: string) => console.log(`[queue:listen] ${line}`)

async function queueManager() {
  const { default: queue } = await import('@rlanz/bull-queue/services/main')
  return queue
}

/** `node ace queue:listen` on this run's queue and database, as a worker machine runs it. */
function startWorker(children: ChildProcess[], name: string) {
  return startProcess(
    children,
    name,
    ['bin/console.ts', 'queue:listen', '--queue', QUEUE],
    appEnvironment({ REDIS_HOST }),
    /processing started/
  )
}

/** A BullMQ job's state: waiting, active, completed … */
async function stateOf(id: string) {
  const queue = await queueManager()
  const job = await queue.getOrSet(QUEUE).getJob(id)
  return job ? job.getState() : 'gone'
}

/**
 * A worker machine is stopped (deploy, scale-in) with SIGTERM: the worker must finish the job it
 * runs, take no other, and exit with 0 without being killed; what it did not take stays in Redis
 * for the next worker.
 */
test.group('node ace queue:listen on SIGTERM (BullMQ on Redis)', (group) => {
  group.teardown(async () => {
    if (!reachable) return
    const queue = await queueManager()
    await queue.clear(QUEUE)
    await queue.getOrSet(QUEUE).close()
  })

  test('finishes the running job, leaves the waiting one to the next worker, exits with 0', async ({
    assert,
    cleanup,
  }) => {
    const children: ChildProcess[] = []
    cleanup(async () => {
      await Promise.all(children.map((child) => stopProcess(child)))
    })
    const queue = await queueManager()
    const dispatch = async (ms: number) => {
      const job = await queue.dispatch(SlowJob, { ms }, { queueName: QUEUE })
      return job.id!
    }

    const first = await startWorker(children, 'worker 1')
    // It yields the CPU to the web processes (nice 10 unless QUEUE_WORKER_NICE says otherwise).
    assert.equal(getPriority(first.child.pid!), 10)
    // A first job: the worker is taking jobs.
    const warmUp = await dispatch(0)
    await until(async () => (await stateOf(warmUp)) === 'completed')
    // A job it is running when SIGTERM comes, and one waiting behind it (one job at a time).
    const running = await dispatch(1500)
    await until(async () => (await stateOf(running)) === 'active')
    const waiting = await dispatch(0)

    const stopping = Date.now()
    // Killed (SIGKILL) if it has not exited 20 s after SIGTERM.
    const exit = await stopProcess(first.child, 20_000)
    say(
      `worker 1 (pid ${first.child.pid}): SIGTERM while running a job → exit ${exit} after ${Date.now() - stopping} ms`
    )
    assert.equal(exit, 0, `worker 1 exits by itself with 0:\n${first.output()}`)
    assert.equal(await stateOf(running), 'completed', 'the job it was running finished')
    assert.equal(await stateOf(waiting), 'waiting', 'it took no job after SIGTERM')

    // The next worker (a restarted or another machine) runs the job left waiting.
    const second = await startWorker(children, 'worker 2')
    await until(async () => (await stateOf(waiting)) === 'completed')
    say(`worker 2 (pid ${second.child.pid}) ran the job left waiting`)
    const idleStopping = Date.now()
    const idleExit = await stopProcess(second.child, 20_000)
    say(`worker 2: SIGTERM while idle → exit ${idleExit} after ${Date.now() - idleStopping} ms`)
    assert.equal(idleExit, 0, `worker 2 exits by itself with 0:\n${second.output()}`)
  })
    .skip(!reachable, SKIP_REASON)
    .timeout(120_000)
})
