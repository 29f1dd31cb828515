/*
|--------------------------------------------------------------------------
| Worker processes (node:cluster)
|--------------------------------------------------------------------------
|
| `node bin/server.js` serves with WEB_CONCURRENCY processes on one port: this
| primary process only starts them (round-robin over their connections),
| restarts one that dies and passes SIGTERM/SIGINT on to them. Each worker is
| a whole app (bin/server.ts): sessions, locks and rate limits live in the
| database (or Redis), so any worker serves any request, and every worker's
| scheduler queues each tick, which then runs once under its lock (as with
| several instances). Without Redis, a job runs in the worker that queued it.
|
*/
import cluster, { type Worker } from 'node:cluster'
import { createServer, type RequestListener } from 'node:http'
import { availableParallelism } from 'node:os'

/** The environment the primary reads (start/env.ts, already validated). */
interface ClusterEnvironment {
  get(key: string): unknown
}

/** A restarted worker waits 1 s, then 2, 4 … up to 30 s while it keeps dying. */
const FIRST_RESTART_DELAY_MS = 1000
const MAX_RESTART_DELAY_MS = 30_000
/** A worker that served this long before dying is restarted after the first delay again. */
const STABLE_AFTER_MS = 60_000

/**
 * Web processes to run: WEB_CONCURRENCY when set; else one per core in production on
 * PostgreSQL, and one otherwise (see `concurrencyProblem` for SQLite).
 */
export function webConcurrency(env: ClusterEnvironment): number {
  const configured = env.get('WEB_CONCURRENCY')
  if (configured !== undefined) return Math.max(1, Math.floor(Number(configured)))
  if (env.get('NODE_ENV') !== 'production' || env.get('DB_CONNECTION') !== 'pg') return 1
  return availableParallelism()
}

/** Why `count` processes cannot serve with these settings, or null when they can. */
export function concurrencyProblem(env: ClusterEnvironment, count: number): string | null {
  if (count <= 1) return null
  const inMemory = ['SESSION_DRIVER', 'LIMITER_STORE', 'LOCK_STORE'].filter(
    (name) => env.get(name) === 'memory'
  )
  if (inMemory.length > 0) {
    const names = inMemory.map((name) => `${name}=memory`).join(', ')
    return `${names} keeps its data inside one process; use the database (or Redis)`
  }
  // Two processes writing one SQLite file at once: a transaction that read before the other
  // committed fails at its first write (SQLITE_BUSY_SNAPSHOT), e.g. an audit log entry.
  if (env.get('NODE_ENV') === 'production' && env.get('DB_CONNECTION') === 'sqlite') {
    return 'SQLite serves from one process (two writing at once fail); use PostgreSQL for more'
  }
  return null
}

/**
 * A worker answers this many requests on one kept-alive connection, then closes it
 * (`Connection: close`) and the client connects again. The primary hands each new connection
 * to the first worker free to take it, and a kept-alive connection stays with its worker: when
 * 50 connections opened at once, one worker got 35 of them and kept them, and their requests
 * waited 2.5 times as long as the other worker's (p99 1.5–1.7 s on the opinion list). Closing
 * every 25th answer gives the less busy worker its share within seconds (p99 0.66–0.86 s).
 */
const REQUESTS_PER_CONNECTION = 25

/** The HTTP server of a process: a worker closes its connections after a while (above). */
export function createWebServer(handler: RequestListener) {
  const server = createServer(handler)
  if (cluster.isWorker) server.maxRequestsPerSocket = REQUESTS_PER_CONNECTION
  return server
}

interface Slot {
  number: number
  worker: Worker | null
  startedAt: number
  /** Whether this slot's worker ever listened: one that never did is a configuration error. */
  listened: boolean
  restarts: number
  timer: NodeJS.Timeout | null
}

const say = (line: string) => console.log(`cluster: ${line}`)

/** Starts `count` workers and keeps them running until SIGTERM or SIGINT. */
export function runPrimary(count: number) {
  let stopping = false
  let exitCode = 0
  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({
    number: index + 1,
    worker: null,
    startedAt: 0,
    listened: false,
    restarts: 0,
    timer: null,
  }))

  const fork = (slot: Slot) => {
    slot.timer = null
    slot.startedAt = Date.now()
    const worker = cluster.fork()
    slot.worker = worker
    worker.once('listening', (address) => {
      slot.listened = true
      say(`worker ${slot.number} (pid ${worker.process.pid}) listening on port ${address.port}`)
    })
    worker.once('exit', (code, signal) => {
      slot.worker = null
      const how = signal ? `signal ${signal}` : `code ${code}`
      if (stopping) {
        if (code) exitCode = 1
        if (slots.every((other) => other.worker === null)) {
          say('all workers stopped')
          process.exit(exitCode)
        }
        return
      }
      if (!slot.listened) {
        // Missing keys, a taken port, an unreachable database: every restart would fail alike.
        console.error(`cluster: worker ${slot.number} exited with ${how} before it listened`)
        stop('SIGTERM', 1)
        return
      }
      if (Date.now() - slot.startedAt >= STABLE_AFTER_MS) slot.restarts = 0
      const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** slot.restarts)
      slot.restarts++
      console.error(
        `cluster: worker ${slot.number} (pid ${worker.process.pid}) exited with ${how}; restarting in ${delay} ms`
      )
      slot.timer = setTimeout(() => fork(slot), delay)
    })
  }

  /** Passes the signal on; each worker finishes its requests and jobs (app.terminate) and exits. */
  const stop = (signal: NodeJS.Signals, code = 0) => {
    if (code) exitCode = code
    if (stopping) return
    stopping = true
    say(`${signal}: stopping ${count} workers`)
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer)
      slot.timer = null
      slot.worker?.process.kill(signal)
    }
    if (slots.every((slot) => slot.worker === null)) process.exit(exitCode)
  }

  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  say(`primary (pid ${process.pid}) starting ${count} workers`)
  for (const slot of slots) fork(slot)
}
