import { stripVTControlCharacters } from 'node:util'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'

/**
 * App processes started by a test (two web instances, a queue worker) on the test run's own
 * database, and the bookkeeping around them: they only see committed data, so such tests run
 * without the global transaction and put the tables back as they found them.
 */

/** The audit trail refuses DELETE; Lucid's bookkeeping stays. */
const KEPT_TABLES = new Set([
  'adonis_schema',
  'adonis_schema_versions',
  'audit_logs',
  'audit_checkpoints',
])

export interface TableSnapshot {
  table: string
  rows: number
  maxId: number | null
  /**
   * A table keyed by something else than an integer id (sessions, locks, job_locks …) that held
   * rows: its key column and the keys it held, so that only rows added since are deleted.
   */
  keyed: { column: string; keys: string[] } | null
}

/** The single primary-key column of `table`, or null (none, or several). */
async function primaryKeyColumn(table: string): Promise<string | null> {
  const connection = db.connection()
  let columns: Array<{ name: string }>
  if (connection.dialect.name === 'postgres') {
    const result = await connection.rawQuery(
      `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = ?::regclass AND i.indisprimary`,
      [table]
    )
    columns = result.rows
  } else {
    columns = await connection.rawQuery('SELECT name FROM pragma_table_info(?) WHERE pk > 0', [
      table,
    ])
  }
  return columns.length === 1 ? columns[0].name : null
}

export async function snapshotTables(): Promise<TableSnapshot[]> {
  const connection = db.connection()
  const allTables = await connection.getAllTables(['public'])
  const snapshots: TableSnapshot[] = []
  for (const table of allTables.filter((name) => !KEPT_TABLES.has(name))) {
    const columns = await connection.columnsInfo(table)
    const integerId = 'id' in columns && /int/i.test(columns.id.type)
    const row = await connection
      .from(table)
      .count('* as rows')
      .if(integerId, (query) => query.max('id as maxId'))
      .first()
    const rows = Number(row.rows)
    const keyColumn = !integerId && rows > 0 ? await primaryKeyColumn(table) : null
    const held = keyColumn ? await connection.from(table).select(keyColumn) : []
    snapshots.push({
      table,
      rows,
      maxId: row.maxId === undefined || row.maxId === null ? null : Number(row.maxId),
      keyed: keyColumn
        ? { column: keyColumn, keys: held.map((kept) => String(kept[keyColumn])) }
        : null,
    })
  }
  return snapshots
}

/**
 * Deletes what was added since `before`: every row of a table that was empty (the test's data
 * and what the processes wrote: sessions, certificates …), rows above the old highest id of a
 * table that held rows from the migrations (document templates), and rows with new keys in a
 * keyed table that held rows (a job's last run, a lock). Foreign keys are deferred to the commit
 * on SQLite; on PostgreSQL the tables are emptied in passes until the references allow it.
 */
async function deleteAddedRows(before: TableSnapshot[]) {
  const connection = db.connection()
  const remove = (query: ReturnType<typeof connection.from>, snapshot: TableSnapshot) =>
    snapshot.rows === 0
      ? query.from(snapshot.table).delete()
      : snapshot.maxId !== null
        ? query.from(snapshot.table).where('id', '>', snapshot.maxId).delete()
        : snapshot.keyed
          ? query
              .from(snapshot.table)
              .whereNotIn(snapshot.keyed.column, snapshot.keyed.keys)
              .delete()
          : null
  if (connection.dialect.name !== 'postgres') {
    await connection.transaction(async (trx) => {
      await trx.rawQuery('PRAGMA defer_foreign_keys = ON')
      for (const snapshot of before) await remove(trx.query(), snapshot)
    })
    return
  }
  let pending = before
  for (let pass = 0; pending.length > 0 && pass < 10; pass++) {
    const failed: TableSnapshot[] = []
    for (const snapshot of pending) {
      try {
        await remove(connection.query(), snapshot)
      } catch {
        failed.push(snapshot)
      }
    }
    pending = failed
  }
  if (pending.length > 0) {
    throw new Error(`could not empty: ${pending.map((snapshot) => snapshot.table).join(', ')}`)
  }
}

/** Deletes what was added since `before`, then checks that every table holds what it held. */
export async function restoreTables(before: TableSnapshot[]) {
  await deleteAddedRows(before)
  const now = await snapshotTables()
  const after = new Map(now.map((snapshot) => [snapshot.table, snapshot]))
  const left = before.filter((snapshot) => after.get(snapshot.table)?.rows !== snapshot.rows)
  if (left.length > 0) {
    const counts = left.map(
      (snapshot) => `${snapshot.table} (${snapshot.rows} → ${after.get(snapshot.table)?.rows})`
    )
    throw new Error(`rows left behind in: ${counts.join(', ')}`)
  }
}

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves). */
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

/**
 * The environment of an app process on this test run's database (SQLite file or PostgreSQL),
 * with the same APP_KEY, database sessions and limiter (shared by every instance), and `extra`.
 */
export function appEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    APP_KEY: env.get('APP_KEY'),
    DB_CONNECTION: env.get('DB_CONNECTION'),
    SQLITE_FILE: env.get('SQLITE_FILE', 'daicho.sqlite3'),
    PG_HOST: env.get('PG_HOST', '127.0.0.1'),
    PG_PORT: String(env.get('PG_PORT', 5432)),
    PG_USER: env.get('PG_USER', 'postgres'),
    PG_PASSWORD: env.get('PG_PASSWORD', ''),
    PG_DB_NAME: env.get('PG_DB_NAME', 'daicho'),
    // No job on its real schedule: a nightly tick falling inside a test would write rows of
    // its own (a test that wants ticks times its job with `*=off;name=cron`).
    JOB_SCHEDULES: '*=off',
    SESSION_DRIVER: 'database',
    SESSION_SECURE_COOKIE: 'false',
    LIMITER_STORE: 'database',
    TRUSTED_PROXIES: '',
    ...extra,
  }
}

/** Where the processes run: printed by the tests. */
export function databaseName(environment: Record<string, string>) {
  return environment.DB_CONNECTION === 'pg'
    ? `PostgreSQL ${environment.PG_DB_NAME}`
    : `SQLite tmp/${environment.SQLITE_FILE}`
}

export interface AppProcess {
  name: string
  child: ChildProcess
  /** Everything it printed so far (stdout and stderr). */
  output: () => string
}

/**
 * Starts an app process (`bin/server.ts`, `ace.js queue:listen` …) with `environment` over this
 * process's, adds it to `children` at once (so that the teardown stops it whatever happens) and
 * waits until its output matches `ready`.
 */
export function startProcess(
  children: ChildProcess[],
  name: string,
  args: string[],
  environment: Record<string, string>,
  ready: RegExp
) {
  const child = spawn(process.execPath, ['--import=ts-node-maintained/register/esm', ...args], {
    cwd: app.makePath(),
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  const started: AppProcess = { name, child, output: () => output }
  return new Promise<AppProcess>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 40 s:\n${output}`)),
      40_000
    )
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) {
        clearTimeout(timer)
        resolve(started)
      }
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}:\n${output}`))
    })
  })
}

export interface Instance extends AppProcess {
  port: number
  url: string
}

/** Starts a web instance (`bin/server.ts`) on `port` and waits until it listens. */
export async function startInstance(
  children: ChildProcess[],
  name: string,
  port: number,
  environment: Record<string, string>
): Promise<Instance> {
  const started = await startProcess(
    children,
    `instance ${name}`,
    ['bin/server.ts'],
    { ...environment, PORT: String(port) },
    /started HTTP server/
  )
  return { ...started, name, port, url: `http://127.0.0.1:${port}` }
}

/**
 * Stops a process (SIGTERM, then SIGKILL after `killAfterMs`) and waits for it to exit; resolves
 * with its exit code, or the signal that ended it.
 */
export function stopProcess(child: ChildProcess, killAfterMs = 5000) {
  const ended = () => child.exitCode ?? child.signalCode
  if (ended() !== null) return Promise.resolve(ended())
  return new Promise<number | NodeJS.Signals | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(ended())
    })
    child.kill('SIGTERM')
  })
}

/** One logged outcome of a scheduled tick (start/scheduler.ts). */
export interface LoggedTick {
  job: string
  tick: string
  ran: boolean
  status: string
  message: string
}

/**
 * The fields of each line logged with `message` in a process's output, as printed in development
 * and tests (pino-pretty: a header line, then one indented `key: value` line per field, values
 * as JSON).
 */
export function loggedLines(output: string, message: string): Record<string, unknown>[] {
  const logged: Record<string, unknown>[] = []
  // Colours too: pino-pretty colours its output when FORCE_COLOR is set, even to 0 (as in CI).
  const lines = stripVTControlCharacters(output).split('\n')
  lines.forEach((line, at) => {
    if (!/\bINFO\b/.test(line) || !line.trimEnd().endsWith(`: ${message}`)) return
    const fields: Record<string, unknown> = {}
    for (const field of lines.slice(at + 1)) {
      const match = /^\s+(\w+): (.*)$/.exec(field)
      if (!match) break
      fields[match[1]] = JSON.parse(match[2])
    }
    logged.push(fields)
  })
  return logged
}

/** The `scheduled job` lines of a process's log (start/scheduler.ts). */
export function loggedTicks(output: string): LoggedTick[] {
  return loggedLines(output, 'scheduled job') as unknown as LoggedTick[]
}

/** The cookies of one browser: sent to both instances (one host name behind a load balancer). */
export class Browser {
  #cookies = new Map<string, string>()

  async request(url: string, init: RequestInit = {}) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const at = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return response
  }

  cookieHeader() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** The CSRF token of a form page. */
  async csrfToken(url: string) {
    const page = await this.request(url)
    const html = await page.text()
    const token = /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(html)?.[1]
    if (page.status !== 200 || !token) {
      throw new Error(`no CSRF token on ${url} (${page.status})`)
    }
    return token
  }

  async login(instance: Instance, email: string, password: string) {
    const token = await this.csrfToken(`${instance.url}/login`)
    return this.request(`${instance.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, email, password }).toString(),
    })
  }
}
