import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { createServer } from 'node:net'
import { percentile } from '#database/bench/bench_support'

/**
 * Helpers of the benchmarks that measure the app over HTTP: the built app's
 * processes, a browser-like session (cookies, CSRF token, login) and
 * latency figures. Plain `node:http`, so that a request may wait as long as
 * a synchronous import takes (fetch gives up after 300 s without headers).
 */

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export interface ServiceProcess {
  name: string
  child: ChildProcess
  /** Everything it printed so far. */
  output: () => string
}

/**
 * Starts a process (the web server, a queue worker, a Redis) and waits until
 * its output matches `ready`. Rejects with the output when it exits first or
 * takes longer than `timeoutMs`.
 */
export function startService(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number }
): Promise<ServiceProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const service = { name, child, output: () => output }
  return new Promise((resolve, reject) => {
    let started = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`)
      )
    }, options.timeoutMs ?? 60_000)
    const collect = (chunk: Buffer) => {
      // Keep the last 200 kB: enough to explain a failure.
      output = (output + chunk.toString()).slice(-200_000)
      if (!started && options.ready.test(output)) {
        started = true
        clearTimeout(timer)
        resolve(service)
      }
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`${name} exited with ${code}:\n${output}`))
    })
  })
}

/** Runs a command to its end; rejects with its output unless it exits with 0. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv }
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-200_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))
    )
  })
}

/** Stops a process (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
export function stopService(service: ServiceProcess | null | undefined) {
  const child = service?.child
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export interface HttpResult {
  status: number
  headers: IncomingHttpHeaders
  /** The body as text (empty when `discard` was asked). */
  text: string
  bytes: number
  /** Line feeds in the body (when `countLines` was asked). */
  lines: number
  /** From sending the request to the last byte of the response, in ms. */
  ms: number
}

export interface UploadFile {
  field: string
  fileName: string
  type: string
  data: Buffer
}

export interface RequestOptions {
  method?: string
  /** application/x-www-form-urlencoded fields. */
  form?: Record<string, string>
  /** multipart/form-data fields and files. */
  multipart?: { fields: Record<string, string>; files: UploadFile[] }
  /** Count the body's bytes without keeping it (large downloads). */
  discard?: boolean
  /** Count the body's line feeds (CSV rows). */
  countLines?: boolean
}

/** One keep-alive pool for every session, as a browser keeps its connections open. */
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })

/** Closes the kept-alive connections (they would keep the command's process alive). */
export function closeConnections() {
  agent.destroy()
}

function multipartBody(multipart: NonNullable<RequestOptions['multipart']>) {
  const boundary = `----bench${randomBytes(12).toString('hex')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(multipart.fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
      )
    )
  }
  for (const file of multipart.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\ncontent-type: ${file.type}\r\n\r\n`
      ),
      file.data,
      Buffer.from('\r\n')
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }
}

/**
 * The cookies of one browser against the app at `baseUrl`: requests never
 * follow redirects (the caller reads `location`).
 */
export class HttpSession {
  #cookies = new Map<string, string>()

  constructor(readonly baseUrl: string) {}

  /** The Cookie header this session sends (to hand a login to a load generator). */
  cookieHeader() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  request(path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const url = new URL(path, this.baseUrl)
    const headers: Record<string, string | number> = { accept: 'text/html,application/json' }
    let body: Buffer | null = null
    if (options.form) {
      body = Buffer.from(new URLSearchParams(options.form).toString())
      headers['content-type'] = 'application/x-www-form-urlencoded'
    } else if (options.multipart) {
      const encoded = multipartBody(options.multipart)
      body = encoded.body
      headers['content-type'] = encoded.type
    }
    if (body) headers['content-length'] = body.length
    const cookie = this.cookieHeader()
    if (cookie) headers.cookie = cookie
    return new Promise((resolve, reject) => {
      const started = process.hrtime.bigint()
      const outgoing = httpRequest(
        url,
        { method: options.method ?? (body ? 'POST' : 'GET'), headers, agent },
        (response) => {
          for (const line of response.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';')
            const at = pair.indexOf('=')
            this.#cookies.set(pair.slice(0, at), pair.slice(at + 1))
          }
          const chunks: Buffer[] = []
          let bytes = 0
          let lines = 0
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (options.countLines) {
              for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
            }
            if (!options.discard) chunks.push(chunk)
          })
          response.once('error', reject)
          response.once('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              bytes,
              lines,
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            })
          )
        }
      )
      outgoing.once('error', reject)
      outgoing.end(body ?? undefined)
    })
  }

  /** The CSRF token of a page's form (Edge writes the value in single quotes). */
  async csrfToken(path: string) {
    const page = await this.request(path)
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(page.text)?.[1]
    if (page.status !== 200 || !token) throw new Error(`no CSRF token on ${path} (${page.status})`)
    return token
  }

  /** Logs in through the staff login form; throws unless it redirects to the dashboard. */
  async login(email: string, password: string) {
    const token = await this.csrfToken('/login')
    const result = await this.request('/login', { form: { _csrf: token, email, password } })
    if (result.status !== 302 || result.headers.location !== '/dashboard') {
      throw new Error(`login of ${email} failed: ${result.status} ${result.headers.location ?? ''}`)
    }
    return this
  }
}

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Count, median, p95, p99 and maximum of timings in ms (nearest rank). */
export function latencySummary(timings: number[]): LatencySummary {
  const sorted = [...timings].sort((a, b) => a - b)
  if (sorted.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  }
}

/** The median of a few figures (repeated runs). */
export function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
