import { spawn } from 'node:child_process'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { DepartmentFactory } from '#database/factories/department_factory'
import AuditLog from '#models/audit_log'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'

let ipCounter = 0

/**
 * A distinct client IP per call, so that the login rate limit (memory store,
 * shared by the whole run) never leaks from one test into another.
 */
export function freshIp(): string {
  ipCounter++
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`
}

/**
 * 区長室(部) > 広聴担当課(課) > 広聴係(係), plus an unrelated 危機管理課 under
 * another 部: enough to test department scoping.
 */
export async function departmentTree() {
  const bu = await DepartmentFactory.apply('bu')
    .merge({ code: 't-bu', name: '区長室', sortOrder: 0 })
    .create()
  const kocho = await DepartmentFactory.merge({
    code: 't-kocho',
    name: '広聴担当課',
    parentId: bu.id,
    sortOrder: 1,
  }).create()
  const kochoKakari = await DepartmentFactory.merge({
    code: 't-kocho-1',
    name: '広聴係',
    level: 'kakari',
    parentId: kocho.id,
    sortOrder: 2,
  }).create()
  const otherBu = await DepartmentFactory.apply('bu')
    .merge({ code: 't-bu2', name: '危機管理室', sortOrder: 3 })
    .create()
  const kikikanri = await DepartmentFactory.merge({
    code: 't-kiki',
    name: '危機管理課',
    parentId: otherBu.id,
    sortOrder: 4,
  }).create()
  return { bu, kocho, kochoKakari, otherBu, kikikanri }
}

/** The newest audit entry with the given action. */
export function lastAudit(action: string) {
  return AuditLog.query().where('action', action).orderBy('id', 'desc').first()
}

/**
 * The SQL the database receives while `work` runs (requests of the test's client included: they
 * run in this process, inside the test's global transaction).
 */
export async function queriesDuring(work: () => Promise<unknown>): Promise<string[]> {
  const { queries } = await withQueries(work)
  return queries
}

/** What `work` returns (a response, a page's text …) and the SQL it made the database run. */
export async function withQueries<T>(
  work: () => PromiseLike<T>
): Promise<{ result: T; queries: string[] }> {
  const knex = db.connection().getWriteClient()
  const queries: string[] = []
  const listener = (query: { sql: string }) => queries.push(query.sql)
  knex.on('query', listener)
  try {
    return { result: await work(), queries }
  } finally {
    knex.off('query', listener)
  }
}

/** The INSERT, UPDATE and DELETE statements among `queries` that write to `table`, by kind. */
export function writesTo(queries: string[], table: string) {
  const kinds = { insert: 0, update: 0, delete: 0 }
  const pattern = new RegExp(
    `^\\s*(insert into|update|delete from) [\`"]?${table}[\`"]?[\\s(]`,
    'i'
  )
  for (const sql of queries) {
    const kind = sql.match(pattern)?.[1].split(' ')[0].toLowerCase() as keyof typeof kinds
    if (kind) kinds[kind]++
  }
  return kinds
}

/** Opens `path` as `user` while recording the queries the request runs: the answer and their SQL. */
export async function openRecordingQueries(client: ApiClient, path: string, user: User) {
  const { result: page, queries } = await withQueries(() => client.get(path).loginAs(user))
  return { page, queries }
}

/**
 * Starts the HTTP server as `node bin/server.js` would, in its own process, on the SQLite file
 * `sqliteFile` (under tmp/); it is stopped once its output matches `stopWhen`.
 */
export function startServerProcess(
  sqliteFile: string,
  environment: Record<string, string>,
  stopWhen: RegExp
) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import=ts-node-maintained/register/esm', 'bin/server.ts'],
      {
        cwd: app.makePath(),
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          PORT: '0',
          DB_CONNECTION: 'sqlite',
          SQLITE_FILE: sqliteFile,
          LOG_LEVEL: 'info',
          ...environment,
        },
      }
    )
    let output = ''
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (stopWhen.test(output)) child.kill('SIGTERM')
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/**
 * Form fields with bracketed names, as a browser posts nested inputs (`annexes[0][subject]`,
 * `contractIds[]`); the HTTP client would drop the indices of a nested object.
 */
export function bracketedFields(
  value: unknown,
  prefix = '',
  into: Record<string, string | string[]> = {}
) {
  if (Array.isArray(value) && value.every((entry) => typeof entry !== 'object')) {
    into[`${prefix}[]`] = value.map(String)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value))
      bracketedFields(entry, prefix ? `${prefix}[${key}]` : key, into)
  } else if (value !== undefined && value !== null) {
    into[prefix] = String(value)
  }
  return into
}

/**
 * Logs errors only until the returned function is called (a group's `each.setup`): a test that
 * opens every page as every role meets hundreds of expected refusals, each a warning otherwise.
 */
export function errorsOnlyInLogs() {
  const level = logger.level
  logger.level = 'error'
  return () => {
    logger.level = level
  }
}
