import { test } from '@japa/runner'
import type { ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { TEST_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import DeletionCertificate from '#models/deletion_certificate'
import AuditLogger from '#services/audit_logger'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import {
  appEnvironment,
  Browser,
  databaseName,
  freePort,
  type Instance,
  loggedLines,
  loggedTicks,
  restoreTables,
  snapshotTables,
  startInstance,
  stopProcess,
} from '#tests/instance_helpers'

/**
 * Issue 17 §6: two app processes (instance A and B, as behind a load balancer) on the test
 * run's own database (SQLite file or PostgreSQL) with the same APP_KEY, on different ports,
 * sharing one upload folder (DRIVE_ROOT). A login on A is recognised on B (sessions live in the
 * database), a certificate uploaded on A is downloaded from B with the same bytes, and a
 * scheduled job fired by both runs once per tick.
 *
 * The processes only see committed data, so this group runs without the global transaction:
 * what it creates (and what the processes write) is deleted at the end, except the append-only
 * audit trail (valid chain entries and checkpoints, keyed from the same APP_KEY).
 */

/** The job both instances fire every two seconds here (JOB_SCHEDULES), instead of nightly; no other. */
const JOB = 'audit-verify'
const JOB_SCHEDULE = '*/2 * * * * *'

const say = (line: string) => console.log(`[two-instances] ${line}`)
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function checkpointCount() {
  const row = await db.from('audit_checkpoints').count('* as rows').first()
  return Number(row.rows)
}

test.group('Two instances on one database and one upload folder', (group) => {
  let a: Instance
  let b: Instance
  let checkpointsBefore: number
  const children: ChildProcess[] = []
  // One upload folder for both (an NFS mount in production).
  const uploads = app.tmpPath(`two-instances-uploads-${process.pid}`)

  group.setup(async () => {
    const started = Date.now()
    // Committed data the processes can see; removed again at the end.
    const before = await snapshotTables()
    mkdirSync(uploads, { recursive: true })
    const teardown = async () => {
      await Promise.all(children.map((child) => stopProcess(child)))
      rmSync(uploads, { recursive: true, force: true })
      await restoreTables(before)
    }
    try {
      // An entry for the audit check to verify (and so to sign a checkpoint of).
      await AuditLogger.system.record({
        action: 'test.two_instances',
        subject: { type: 'Test', id: process.pid },
        changedFields: [],
      })
      checkpointsBefore = await checkpointCount()
      const environment = appEnvironment({
        DRIVE_DISK: 'fs',
        DRIVE_ROOT: uploads,
        JOB_SCHEDULES: `*=off;${JOB}=${JOB_SCHEDULE}`,
      })
      const [portA, portB] = [await freePort(), await freePort()]
      ;[a, b] = await Promise.all([
        startInstance(children, 'A', portA, environment),
        startInstance(children, 'B', portB, environment),
      ])
      say(`database: ${databaseName(environment)}; uploads: ${uploads}`)
      say(
        `instance A: pid ${a.child.pid}, port ${a.port}; instance B: pid ${b.child.pid}, port ${b.port} (started in ${Date.now() - started} ms)`
      )
    } catch (error) {
      await teardown()
      throw error
    }
    return teardown
  })

  test('a login on A is recognised on B; a certificate uploaded on A downloads from B', async ({
    assert,
  }) => {
    const started = Date.now()
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const sanko = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const terms = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-16',
      SPECIAL_TERMS_16
    )
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
  }).timeout(60_000)

  /**
   * Both schedulers fire the audit check every two seconds (JOB_SCHEDULES); each tick must run
   * on one instance only. Every run signs a checkpoint of the audit trail, so a tick run twice
   * would leave two. This test stops both instances (it comes last) so that every run they
   * started is finished and logged before the counts are compared.
   */
  test('a scheduled job fired by both instances runs once per tick', async ({ assert }) => {
    const started = Date.now()
    const ticksOf = (instance: Instance) =>
      loggedTicks(instance.output()).filter((logged) => logged.job === JOB)
    const firedByBoth = () => {
      const onB = new Set(ticksOf(b).map((logged) => logged.tick))
      return [...new Set(ticksOf(a).map((logged) => logged.tick))].filter((tick) => onB.has(tick))
    }
    // Two ticks both instances fired, then both stop (shutdown lets a tick being run finish).
    while (firedByBoth().length < 2) {
      if (Date.now() - started > 30_000) {
        throw new Error(`no two ticks fired by both within 30 s:\n${a.output()}\n${b.output()}`)
      }
      await sleep(200)
    }
    const exits = await Promise.all([stopProcess(a.child), stopProcess(b.child)])
    say(`stopped A and B: exit ${exits.join(', ')}`)
    assert.deepEqual(exits, [0, 0], 'both instances shut down cleanly on SIGTERM')

    // `*=off`: the other jobs are not timed, and no tick of theirs was fired.
    for (const instance of [a, b]) {
      const [schedule] = loggedLines(instance.output(), 'scheduled jobs')
      assert.equal(schedule?.timed, `${JOB} (${JOB_SCHEDULE})`)
      assert.includeMembers(String(schedule?.off).split(', '), ['duties-refresh', 'opinion-alerts'])
      assert.deepEqual(
        [...new Set(loggedTicks(instance.output()).map((logged) => logged.job))],
        [JOB]
      )
    }

    const [onA, onB] = [ticksOf(a), ticksOf(b)]
    const ticks = [...new Set([...onA, ...onB].map((logged) => logged.tick))].sort()
    for (const tick of ticks) {
      const outcome = (name: string, logged: (typeof onA)[number]) =>
        `${name} ${logged.status}${logged.ran ? '' : ` (${logged.message})`}`
      const outcomes = [
        ...onA.filter((logged) => logged.tick === tick).map((logged) => outcome('A', logged)),
        ...onB.filter((logged) => logged.tick === tick).map((logged) => outcome('B', logged)),
      ]
      say(`${JOB} tick ${tick}: ${outcomes.join('; ')}`)
    }
    const both = firedByBoth()
    assert.isAtLeast(both.length, 2)
    for (const tick of both) {
      const outcomes = [...onA, ...onB].filter((logged) => logged.tick === tick)
      assert.sameMembers(
        outcomes.map((logged) => logged.status),
        ['succeeded', 'skipped'],
        `tick ${tick}: one instance runs it, the other skips`
      )
      const skipped = outcomes.find((logged) => logged.status === 'skipped')!
      assert.oneOf(skipped.message, [
        'another instance is running this job',
        'this tick already ran on another instance',
      ])
    }
    // Every tick ran exactly once: as many signed checkpoints as ticks, none twice.
    const runs = [...onA, ...onB].filter((logged) => logged.ran)
    assert.equal(runs.length, ticks.length)
    assert.isTrue(
      runs.every((logged) => logged.status === 'succeeded'),
      'the audit check succeeds'
    )
    const checkpoints = (await checkpointCount()) - checkpointsBefore
    say(
      `${ticks.length} ticks (${both.length} fired by both): ${runs.length} runs, ${checkpoints} new audit checkpoints`
    )
    assert.equal(checkpoints, ticks.length)
    const last = await db.from('job_locks').where('name', JOB).first()
    assert.equal(last?.last_status, 'succeeded')
  }).timeout(60_000)
})
