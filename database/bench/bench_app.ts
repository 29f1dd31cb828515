import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, rm, symlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { onMaintenanceDatabase, pgDatabaseExists, quotedName } from '#database/bench/bench_support'
import { runCommand, type HttpResult, type HttpSession } from '#database/bench/bench_http'

/**
 * What the benchmarks that run the built app in production mode share
 * (bench:background, bench:http): a fresh copy of the bench database, the
 * build, the production environment, the bench accounts and the tasks
 * (imports, exports) they start over HTTP.
 */

/** The password bench:opinions gives its accounts (and these benches their other accounts). */
export const BENCH_PASSWORD = 'bench-password-1234'

export interface BenchAccounts {
  admin: string
  operator: string
  staff: string
  privacy: string
}

/**
 * A fresh copy of the source database under `name` (CREATE DATABASE …
 * TEMPLATE copies its files); returns a line for the bench's notes.
 */
export async function copyBenchDatabase(source: string, name: string) {
  const started = performance.now()
  await onMaintenanceDatabase(async (maintenance) => {
    if (!(await pgDatabaseExists(maintenance, source))) {
      throw new Error(
        `database ${source} is missing: run DB_CONNECTION=pg PG_DB_NAME=${source} node ace bench:opinions first`
      )
    }
    await maintenance.rawQuery(`DROP DATABASE IF EXISTS ${quotedName(name)} WITH (FORCE)`)
    await maintenance.rawQuery(`CREATE DATABASE ${quotedName(name)} TEMPLATE ${quotedName(source)}`)
  })
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const counted = await db.from('opinions').count('* as total')
  const total = Number(counted[0].total)
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  return {
    opinions: total,
    note: `${name}: copy of ${source} (${total.toLocaleString('en-US')} opinions) made in ${seconds} s`,
  }
}

export async function dropBenchDatabase(name: string) {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  await db.manager.closeAll()
  await onMaintenanceDatabase((maintenance) =>
    maintenance.rawQuery(`DROP DATABASE IF EXISTS ${quotedName(name)} WITH (FORCE)`)
  )
}

/**
 * `node ace build` (as production does), then a private copy of build/ with
 * the project's node_modules linked in (`npm ci --omit=dev` needs the
 * registry): another process rebuilding build/ meanwhile cannot pull files
 * from under the running server. Returns the copy's folder and a note.
 */
export async function buildBenchApp(options: {
  appRoot: string
  workDir: string
  /** Start this built app instead of building (an older version, to compare). */
  buildDir?: string
  ignoreTsErrors?: boolean
  /** The copy's folder inside `workDir` (a second build served next to the first). */
  folder?: string
}) {
  const started = performance.now()
  if (!options.buildDir) {
    const args = ['ace.js', 'build', ...(options.ignoreTsErrors ? ['--ignore-ts-errors'] : [])]
    await runCommand(process.execPath, args, { cwd: options.appRoot, env: process.env })
  }
  const target = join(options.workDir, options.folder ?? 'app')
  await rm(target, { recursive: true, force: true })
  await cp(resolve(options.appRoot, options.buildDir ?? 'build'), target, {
    recursive: true,
    filter: (source) => !source.endsWith('/node_modules'),
  })
  await symlink(join(options.appRoot, 'node_modules'), join(target, 'node_modules'), 'dir')
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  return {
    appDir: target,
    note: `${options.buildDir ?? 'node ace build'}, copied to ${target} (${seconds} s)`,
  }
}

/**
 * The production environment of the built app's processes on a bench
 * database: the field keys derived from this checkout's APP_KEY (the ones
 * bench:opinions encrypted the generated opinions with), a throw-away audit
 * key (the copy is dropped), files under `workDir`, Redis only when given.
 */
export async function productionEnvironment(options: {
  workDir: string
  databaseName: string
  port: number
  redis?: string | null
  extra?: NodeJS.ProcessEnv
}) {
  const { default: env } = await import('#start/env')
  const { FieldEncryption } = await import('#services/field_encryption')
  const appKey = env.get('APP_KEY')
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    LOG_LEVEL: 'info',
    DB_CONNECTION: 'pg',
    PG_DB_NAME: options.databaseName,
    SESSION_DRIVER: 'database',
    SESSION_SECURE_COOKIE: 'false',
    LIMITER_STORE: 'database',
    TRUSTED_PROXIES: '',
    DRIVE_DISK: 'fs',
    DRIVE_ROOT: join(options.workDir, 'uploads'),
    RETENTION_KEYS_DIR: join(options.workDir, 'retention-keys'),
    FIELD_ENCRYPTION_KEYS: FieldEncryption.appKeyEntry(appKey),
    BLIND_INDEX_KEY: FieldEncryption.deriveFromAppKey(appKey, 'blind-index').toString('base64'),
    AUDIT_LOG_KEY: randomBytes(32).toString('base64'),
    ...options.extra,
  }
  delete environment.REDIS_HOST
  delete environment.REDIS_PORT
  delete environment.LOCK_STORE
  if (options.redis) {
    const [host, redisPort] = options.redis.split(':')
    environment.REDIS_HOST = host
    environment.REDIS_PORT = redisPort
  }
  return environment
}

/**
 * The bench accounts, made or reset (password, unlocked): bench:opinions'
 * operator and department staff (課 bench-1-1), an administrator and a
 * privacy officer. Demo accounts cannot log in in production.
 */
export async function benchAccounts(): Promise<BenchAccounts> {
  const { default: Department } = await import('#models/department')
  const { default: User } = await import('#models/user')
  const staffDepartment = await Department.findByOrFail('code', 'bench-1-1')
  const account = async (
    email: string,
    role: 'admin' | 'operator' | 'department_staff' | 'privacy_officer',
    departmentId: number | null
  ) => {
    const user =
      (await User.findBy('email', email)) ??
      new User().merge({
        email,
        fullName: 'ベンチ 職員',
        role,
        departmentId,
        locale: 'ja',
        isDemo: false,
      })
    user.merge({ password: BENCH_PASSWORD, isActive: true, failedLoginCount: 0, lockedUntil: null })
    await user.save()
    return user.email
  }
  return {
    admin: await account('admin@bench.daicho.jp', 'admin', null),
    operator: await account('operator@bench.daicho.jp', 'operator', null),
    staff: await account('staff@bench.daicho.jp', 'department_staff', staffDepartment.id),
    privacy: await account('privacy@bench.daicho.jp', 'privacy_officer', staffDepartment.id),
  }
}

/**
 * An opinion both bench users may open: the newest one led by the staff member's 課
 * (bench-1-1), forwarded to that 課 alone. Of the same shape in every bench database, so its
 * page runs the same queries at 100,000 and at 1,000,000 opinions (the newest of any shape was
 * forwarded once, awaiting approval once, to one 課 or two). The newest led by bench-1-1 when
 * none is of that shape.
 */
export async function staffOpinionId() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { default: Department } = await import('#models/department')
  const staffDepartment = await Department.findByOrFail('code', 'bench-1-1')
  const ledByStaff = () =>
    db
      .from('opinions')
      .where('lead_department_id', staffDepartment.id)
      .orderBy('id', 'desc')
      .select('id')
  const forwardedAlone = await ledByStaff()
    .where('status', 'forwarded')
    .whereRaw(
      '(SELECT count(*) FROM opinion_departments WHERE opinion_departments.opinion_id = opinions.id) = 1'
    )
    .first()
  const opinion = forwardedAlone ?? (await ledByStaff().firstOrFail())
  return Number(opinion.id)
}

/** The task a form started: the redirect to /tasks/:id (throws on anything else). */
export function startedTask(result: HttpResult, label: string) {
  const id = /^\/tasks\/(\d+)$/.exec(String(result.headers.location ?? ''))?.[1]
  if (![302, 303].includes(result.status) || !id)
    throw new Error(`${label}: ${describeAnswer(result)}`)
  return Number(id)
}

/**
 * Polls the task's progress once a second (`pollMs`), as its page does,
 * until it has finished; returns the seconds it took. Throws when it failed.
 */
export async function waitForTask(
  session: HttpSession,
  taskId: number,
  label: string,
  pollMs = 1000
) {
  const started = performance.now()
  for (;;) {
    const answer = await session.request(`/tasks/${taskId}/progress`)
    if (answer.status !== 200) throw new Error(`${label} progress: ${describeAnswer(answer)}`)
    const progress = JSON.parse(answer.text) as {
      status: string
      finished: boolean
      error: string | null
    }
    if (progress.finished) {
      if (progress.status !== 'succeeded')
        throw new Error(`${label} ${progress.status}: ${progress.error ?? ''}`)
      return (performance.now() - started) / 1000
    }
    await sleep(pollMs)
  }
}

/** The first lines of an unexpected answer (status, location, text without tags). */
export function describeAnswer(result: HttpResult) {
  const text = result.text
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 600)
  return `${result.status} ${result.headers.location ?? ''} ${text}`
}

/** The columns the opinion CSV export reads, for `COPY … TO STDOUT` (same rows, same order). */
export const OPINION_COPY_SQL = `COPY (SELECT id, received_at, fiscal_year, channel, kind, topic_id, subject, body,
  lead_department_id, status, due_on, replied_at, reply_open_days FROM opinions ORDER BY id)
  TO STDOUT WITH (FORMAT csv, HEADER)`

/** The environment values psql needs (start/env.ts). */
interface PgEnvironment {
  get(key: 'PG_HOST' | 'PG_USER', fallback: string): string
  get(key: 'PG_PORT', fallback: number): number
  get(key: 'PG_PASSWORD'): string | undefined
}

/**
 * PostgreSQL's own CSV of the opinions' exported columns through psql, in UTF-8 or Shift_JIS
 * (the server converts): the fastest a CSV of these rows can be made.
 */
export function psqlCopyStream(
  databaseName: string,
  encoding: 'utf8' | 'cp932',
  env: PgEnvironment
): Readable {
  const child = spawn(
    'psql',
    [
      '-h',
      env.get('PG_HOST', '127.0.0.1'),
      '-p',
      String(env.get('PG_PORT', 5432)),
      '-U',
      env.get('PG_USER', 'postgres'),
      '-d',
      databaseName,
      '-Atc',
      OPINION_COPY_SQL,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PGPASSWORD: env.get('PG_PASSWORD') ?? '',
        PGCLIENTENCODING: encoding === 'cp932' ? 'SJIS' : 'UTF8',
      },
    }
  )
  return child.stdout
}

/** psqlCopyStream to its end: rows (lines − header), bytes and seconds. */
export async function copyOpinionsThroughPsql(databaseName: string, encoding: 'utf8' | 'cp932') {
  const { default: env } = await import('#start/env')
  const started = performance.now()
  let lines = 0
  let bytes = 0
  for await (const chunk of psqlCopyStream(databaseName, encoding, env) as AsyncIterable<Buffer>) {
    bytes += chunk.length
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
  }
  // psql prints its error on stderr (inherited) and nothing here.
  if (lines === 0) throw new Error(`psql COPY of ${databaseName} printed nothing`)
  return { rows: lines - 1, bytes, seconds: (performance.now() - started) / 1000 }
}
