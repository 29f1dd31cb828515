import { Agent, request as httpRequest } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { percentile } from '#database/bench/bench_support'

/**
 * Load on one page over HTTP, as autocannon would put it (it is not installed): a number of
 * keep-alive connections each asking again as soon as it is answered (`runLoad`), or sessions
 * each asking once per interval (`runPaced`). Plain `node:http`, one connection per agent, so
 * the server sees exactly that many sockets. A request unanswered after `timeoutMs` (10 s, as
 * autocannon) is a timeout: its socket is closed and a new one opened.
 */

export interface LoadOptions {
  /** The page, e.g. `http://127.0.0.1:3333/opinions`. */
  url: string
  /** Cookie header sent with every request (a logged-in session), if any. */
  cookie?: string
  /** Keep-alive connections, each with one request in flight at a time. */
  connections: number
  durationMs: number
  /** Default 10 s. */
  timeoutMs?: number
}

export interface PacedOptions {
  url: string
  /** One cookie header per session (a session uses `cookies[i % cookies.length]`); none for guests. */
  cookies?: string[]
  /** Sessions, each on its own keep-alive connection. */
  sessions: number
  /** Each session asks once per interval; their starts are spread over the first interval. */
  intervalMs: number
  durationMs: number
  /** Default 10 s. */
  timeoutMs?: number
}

export interface LoadResult {
  /** Requests answered (any status). */
  requests: number
  reqPerSec: number
  /** Latency in ms of the answered requests (paced: counted from the time it was due). */
  p50: number
  p95: number
  p99: number
  max: number
  /** Requests unanswered after `timeoutMs`. */
  timeouts: number
  /** Connection errors and answers other than 2xx (a lost session is a redirect to /login). */
  errors: number
  /** Answers by HTTP status. */
  statuses: Record<number, number>
  /** Connection errors by code (ECONNRESET …). */
  errorCodes: Record<string, number>
  /** From the first request to the last answer. */
  durationMs: number
  /**
   * Closed loop only: the fewest, median and most requests one connection had answered. A wide
   * spread means the connections were not shared evenly between the worker processes.
   */
  perConnection?: { min: number; median: number; max: number }
}

const DEFAULT_TIMEOUT_MS = 10_000

const codeOf = (error: Error) => (error as NodeJS.ErrnoException).code ?? error.message

type Outcome =
  { kind: 'answered'; status: number } | { kind: 'timeout' } | { kind: 'error'; code: string }

/** One keep-alive connection: its agent holds at most one socket. */
class Connection {
  #agent = new Agent({ keepAlive: true, maxSockets: 1 })

  constructor(
    private readonly url: URL,
    private readonly cookie: string | undefined,
    private readonly timeoutMs: number
  ) {}

  /** Asks for the page and reads the whole body. */
  get(): Promise<Outcome> {
    return new Promise((resolve) => {
      let done = false
      const finish = (outcome: Outcome) => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve(outcome)
      }
      const headers: Record<string, string> = { accept: 'text/html' }
      if (this.cookie) headers.cookie = this.cookie
      const outgoing = httpRequest(this.url, { headers, agent: this.#agent }, (response) => {
        response.on('data', () => {})
        response.once('end', () => finish({ kind: 'answered', status: response.statusCode ?? 0 }))
        response.once('error', (error) => finish({ kind: 'error', code: codeOf(error) }))
      })
      const timer = setTimeout(() => {
        finish({ kind: 'timeout' })
        outgoing.destroy()
      }, this.timeoutMs)
      outgoing.once('error', (error) => finish({ kind: 'error', code: codeOf(error) }))
      outgoing.end()
    })
  }

  close() {
    this.#agent.destroy()
  }
}

/** Collects the outcomes of one run. */
class Tally {
  readonly latencies: number[] = []
  readonly statuses: Record<number, number> = {}
  readonly errorCodes: Record<string, number> = {}
  timeouts = 0
  errors = 0
  readonly started = performance.now()

  add(outcome: Outcome, ms: number) {
    if (outcome.kind === 'timeout') this.timeouts++
    else if (outcome.kind === 'error') {
      this.errors++
      this.errorCodes[outcome.code] = (this.errorCodes[outcome.code] ?? 0) + 1
    } else {
      this.latencies.push(ms)
      this.statuses[outcome.status] = (this.statuses[outcome.status] ?? 0) + 1
      if (outcome.status < 200 || outcome.status > 299) this.errors++
    }
  }

  result(): LoadResult {
    const durationMs = performance.now() - this.started
    const sorted = [...this.latencies].sort((a, b) => a - b)
    const at = (p: number) => (sorted.length ? round(percentile(sorted, p)) : 0)
    return {
      requests: sorted.length,
      reqPerSec: round((sorted.length / durationMs) * 1000),
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: sorted.length ? round(sorted[sorted.length - 1]) : 0,
      timeouts: this.timeouts,
      errors: this.errors,
      statuses: this.statuses,
      errorCodes: this.errorCodes,
      durationMs: Math.round(durationMs),
    }
  }
}

const round = (value: number) => Math.round(value * 10) / 10

/**
 * `connections` keep-alive connections ask for `url` in a closed loop for `durationMs`: each
 * asks again as soon as it is answered. Requests in flight at the end are awaited (up to their
 * timeout) and counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const tally = new Tally()
  const endsAt = tally.started + options.durationMs
  const loop = async () => {
    const connection = new Connection(url, options.cookie, timeoutMs)
    let answered = 0
    try {
      while (performance.now() < endsAt) {
        const sent = performance.now()
        const outcome = await connection.get()
        tally.add(outcome, performance.now() - sent)
        if (outcome.kind === 'answered') answered++
      }
    } finally {
      connection.close()
    }
    return answered
  }
  const answered = await Promise.all(Array.from({ length: options.connections }, loop))
  const counts = answered.sort((a, b) => a - b)
  return {
    ...tally.result(),
    perConnection: { min: counts[0], median: percentile(counts, 50), max: counts.at(-1)! },
  }
}

/**
 * `sessions` sessions each ask for `url` once every `intervalMs` for `durationMs` (an open
 * loop: the office's users reading pages). A request is due at its time whether or not the
 * previous one was answered; when that one is late, the next goes as soon as it is answered,
 * and its latency still counts from when it was due (no coordinated omission).
 */
export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const url = new URL(options.url)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const cookies = options.cookies ?? []
  const tally = new Tally()
  const endsAt = tally.started + options.durationMs
  const session = async (index: number) => {
    const cookie = cookies.length ? cookies[index % cookies.length] : undefined
    const connection = new Connection(url, cookie, timeoutMs)
    try {
      let due = tally.started + (index / options.sessions) * options.intervalMs
      while (due < endsAt) {
        const wait = due - performance.now()
        if (wait > 0) await sleep(wait)
        tally.add(await connection.get(), performance.now() - due)
        due += options.intervalMs
      }
    } finally {
      connection.close()
    }
  }
  await Promise.all(Array.from({ length: options.sessions }, (_, index) => session(index)))
  return tally.result()
}

/** One line of figures: `412 requests, 20.6 req/s, p50 … ms, p99 … ms, 0 timeouts, 0 errors`. */
export function describeLoad(result: LoadResult): string {
  return [
    `${result.requests} requests`,
    `${result.reqPerSec} req/s`,
    `p50 ${result.p50} ms`,
    `p95 ${result.p95} ms`,
    `p99 ${result.p99} ms`,
    `max ${result.max} ms`,
    `${result.timeouts} timeouts`,
    `${result.errors} errors`,
  ].join(', ')
}
