import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { TEST_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import DeletionCertificate from '#models/deletion_certificate'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/**
 * Issue 17 §6: two app processes (instance A and B, as behind a load balancer) on the test
 * run's own database (SQLite file or PostgreSQL) with the same APP_KEY, on different ports,
 * sharing one upload folder (DRIVE_ROOT). A login on A is recognised on B (sessions live in the
 * database), and a certificate uploaded on A is downloaded from B with the same bytes.
 *
 * The processes only see committed data, so this group runs without the global transaction:
 * what it creates (and what the processes write) is deleted at the end, except the append-only
 * audit trail (valid chain entries, keyed from the same APP_KEY).
 */

/** The audit trail refuses DELETE; Lucid's bookkeeping stays. */
const KEPT_TABLES = new Set([
  'adonis_schema',
  'adonis_schema_versions',
  'audit_logs',
  'audit_checkpoints',
])

interface TableSnapshot {
  table: string
  rows: number
  maxId: number | null
}

async function snapshotTables(): Promise<TableSnapshot[]> {
  const connection = db.connection()
  const allTables = await connection.getAllTables(['public'])
  const snapshots: TableSnapshot[] = []
  for (const table of allTables.filter((name) => !KEPT_TABLES.has(name))) {
    const columns = await connection.columnsInfo(table)
    const row = await connection
      .from(table)
      .count('* as rows')
      .if('id' in columns && /int/i.test(columns.id.type), (query) => query.max('id as maxId'))
      .first()
    snapshots.push({
      table,
      rows: Number(row.rows),
      maxId: row.maxId === undefined || row.maxId === null ? null : Number(row.maxId),
    })
  }
  return snapshots
}

/**
 * Deletes what was added since `before`: every row of a table that was empty (the test's data
 * and what the two processes wrote: sessions, certificates …), and rows above the old highest
 * id of a table that held rows from the migrations (document templates). Foreign keys are
 * deferred to the commit on SQLite; on PostgreSQL the tables are emptied in passes until the
 * references allow it.
 */
async function deleteAddedRows(before: TableSnapshot[]) {
  const connection = db.connection()
  const remove = (query: ReturnType<typeof connection.from>, snapshot: TableSnapshot) =>
    snapshot.rows === 0
      ? query.from(snapshot.table).delete()
      : snapshot.maxId !== null
        ? query.from(snapshot.table).where('id', '>', snapshot.maxId).delete()
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
async function restoreTables(before: TableSnapshot[]) {
  await deleteAddedRows(before)
  const now = await snapshotTables()
  const after = new Map(now.map((snapshot) => [snapshot.table, snapshot]))
  const left = before.filter((snapshot) => after.get(snapshot.table)?.rows !== snapshot.rows)
  if (left.length > 0) {
    throw new Error(`rows left behind in: ${left.map((snapshot) => snapshot.table).join(', ')}`)
  }
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

interface Instance {
  name: string
  port: number
  url: string
  child: ChildProcess
  output: () => string
}

/**
 * Starts `bin/server.ts` in its own process (added to `children` at once, so that the teardown
 * stops it whatever happens) and waits until it listens.
 */
function startInstance(
  children: ChildProcess[],
  name: string,
  port: number,
  environment: Record<string, string>
) {
  const child = spawn(
    process.execPath,
    ['--import=ts-node-maintained/register/esm', 'bin/server.ts'],
    {
      cwd: app.makePath(),
      env: { ...process.env, ...environment, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }
  )
  children.push(child)
  let output = ''
  const instance: Instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
  }
  return new Promise<Instance>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`instance ${name} did not start within 40 s:\n${output}`)),
      40_000
    )
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (/started HTTP server/.test(output)) {
        clearTimeout(timer)
        resolve(instance)
      }
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`instance ${name} exited with ${code}:\n${output}`))
    })
  })
}

/** Stops an instance (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
function stopInstance(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** The cookies of one browser: sent to both instances (one host name behind a load balancer). */
class Browser {
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

test.group('Two instances on one database and one upload folder', () => {
  test('a login on A is recognised on B; a certificate uploaded on A downloads from B', async ({
    assert,
    cleanup,
  }) => {
    const started = Date.now()
    const lines: string[] = []
    const say = (line: string) => {
      lines.push(line)
      console.log(`[two-instances] ${line}`)
    }

    // Committed data the processes can see; removed again at the end.
    const before = await snapshotTables()
    cleanup(() => restoreTables(before))
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const sanko = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const terms = await new CreateSpecialTermVersion().handle('standard-16', SPECIAL_TERMS_16)
    const system = await makeSystem(officer, tree.kocho.id)
    const contract = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: 'メール配信サービス業務委託',
      specialTermSetId: terms.id,
      startsOn: new Date('2025-04-01'),
      endsOn: new Date('2025-10-31'),
      reportFrequency: 'monthly',
    })
    const contractor = await UserFactory.apply('contractor')
      .merge({ contractorId: sanko.id })
      .create()

    // One upload folder for both (an NFS mount in production).
    const uploads = app.tmpPath(`two-instances-uploads-${process.pid}`)
    mkdirSync(uploads, { recursive: true })
    cleanup(() => rmSync(uploads, { recursive: true, force: true }))

    const connection = env.get('DB_CONNECTION')
    const environment: Record<string, string> = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      APP_KEY: env.get('APP_KEY'),
      DB_CONNECTION: connection,
      SQLITE_FILE: env.get('SQLITE_FILE', 'daicho.sqlite3'),
      PG_HOST: env.get('PG_HOST', '127.0.0.1'),
      PG_PORT: String(env.get('PG_PORT', 5432)),
      PG_USER: env.get('PG_USER', 'postgres'),
      PG_PASSWORD: env.get('PG_PASSWORD', ''),
      PG_DB_NAME: env.get('PG_DB_NAME', 'daicho'),
      SESSION_DRIVER: 'database',
      SESSION_SECURE_COOKIE: 'false',
      LIMITER_STORE: 'database',
      DRIVE_DISK: 'fs',
      DRIVE_ROOT: uploads,
      TRUSTED_PROXIES: '',
    }
    const [portA, portB] = [await freePort(), await freePort()]
    const children: ChildProcess[] = []
    // Both processes are stopped even when the test fails (cleanups run last-registered first).
    cleanup(async () => {
      await Promise.all(children.map((child) => stopInstance(child)))
    })
    const [a, b] = await Promise.all([
      startInstance(children, 'A', portA, environment),
      startInstance(children, 'B', portB, environment),
    ])
    const where =
      connection === 'pg'
        ? `PostgreSQL ${environment.PG_DB_NAME}`
        : `SQLite tmp/${environment.SQLITE_FILE}`
    say(`database: ${where}; uploads: ${uploads}`)
    say(
      `instance A: pid ${a.child.pid}, port ${a.port}; instance B: pid ${b.child.pid}, port ${b.port} (started in ${Date.now() - started} ms)`
    )

    // 1. Staff logs in on A; the same cookie opens a staff page on B.
    const staffBrowser = new Browser()
    const staffLogin = await staffBrowser.login(a, staff.email, TEST_PASSWORD)
    say(`A POST /login (staff) → ${staffLogin.status} ${staffLogin.headers.get('location')}`)
    assert.equal(staffLogin.status, 302)
    assert.equal(staffLogin.headers.get('location'), '/dashboard')
    const dashboardOnB = await staffBrowser.request(`${b.url}/dashboard`)
    const dashboardHtml = await dashboardOnB.text()
    say(`B GET /dashboard with A's session cookie → ${dashboardOnB.status}`)
    assert.equal(dashboardOnB.status, 200)
    assert.include(dashboardHtml, staff.fullName)
    const sessions = await db.from('sessions').count('* as rows').first()
    say(`sessions table: ${sessions.rows} rows (the database store both instances read)`)
    const anonymousOnB = await fetch(`${b.url}/dashboard`, { redirect: 'manual' })
    say(
      `B GET /dashboard without a cookie → ${anonymousOnB.status} ${anonymousOnB.headers.get('location')}`
    )
    assert.equal(anonymousOnB.status, 302)
    assert.equal(anonymousOnB.headers.get('location'), '/login')

    // 2. The contractor uploads a deletion certificate on A.
    const contractorBrowser = new Browser()
    const contractorLogin = await contractorBrowser.login(a, contractor.email, TEST_PASSWORD)
    say(
      `A POST /login (contractor) → ${contractorLogin.status} ${contractorLogin.headers.get('location')}`
    )
    assert.equal(contractorLogin.status, 302)
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      randomBytes(256 * 1024),
      Buffer.from('\n%%EOF\n'),
    ])
    const token = await contractorBrowser.csrfToken(
      `${a.url}/contracts/${contract.id}/certificates/create`
    )
    const form = new FormData()
    form.set('_csrf', token)
    form.set('method', 'logical_erasure')
    form.set('media', 'サーバ内ハードディスク\nUSBメモリ 2本')
    form.set('erasedOn', '2025-11-05')
    form.set('notes', '')
    form.set('certificate', new Blob([pdf], { type: 'application/pdf' }), '消去証明書.pdf')
    const upload = await contractorBrowser.request(
      `${a.url}/contracts/${contract.id}/certificates`,
      { method: 'POST', body: form }
    )
    say(
      `A POST /contracts/${contract.id}/certificates (${pdf.length} bytes) → ${upload.status} ${upload.headers.get('location')}`
    )
    assert.equal(upload.status, 302)
    const certificate = await DeletionCertificate.findByOrFail('contractId', contract.id)
    assert.equal(upload.headers.get('location'), `/certificates/${certificate.id}`)
    const stored = join(uploads, certificate.storageKey)
    assert.isTrue(existsSync(stored), `${stored} is on the shared disk`)
    say(
      `stored on the shared disk: ${certificate.storageKey} (${readFileSync(stored).length} bytes)`
    )

    // 3. The ward's staff downloads it from B: the same bytes.
    const download = await staffBrowser.request(`${b.url}/certificates/${certificate.id}/file`)
    const downloaded = Buffer.from(await download.arrayBuffer())
    say(
      `B GET /certificates/${certificate.id}/file (staff) → ${download.status}, ${downloaded.length} bytes, sha256 ${sha256(downloaded).slice(0, 16)}… (uploaded ${pdf.length} bytes, sha256 ${sha256(pdf).slice(0, 16)}…)`
    )
    assert.equal(download.status, 200)
    assert.equal(download.headers.get('content-type'), 'application/pdf')
    assert.isTrue(downloaded.equals(pdf), 'the bytes downloaded from B are those uploaded on A')

    say(`done in ${Date.now() - started} ms`)
    assert.isBelow(Date.now() - started, 60_000)
  }).timeout(90_000)
})
