import { readFileSync } from 'node:fs'
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { basename, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { Database } from '@adonisjs/lucid/database'
import type { ConnectionConfig, PostgreConfig } from '@adonisjs/lucid/types/database'
import { benchDatabase } from '#database/bench/bench_support'
import { runLoad, runPaced, type LoadResult } from '#database/bench/load'
import {
  BENCH_PASSWORD,
  benchAccounts,
  staffOpinionId,
  buildBenchApp,
  copyBenchDatabase,
  copyOpinionsThroughPsql,
  describeAnswer,
  dropBenchDatabase,
  productionEnvironment,
  startedTask,
  waitForTask,
  type BenchAccounts,
} from '#database/bench/bench_app'
import {
  closeConnections,
  freePort,
  HttpSession,
  latencySummary,
  median,
  runCommand,
  startService,
  stopService,
  type ServiceProcess,
} from '#database/bench/bench_http'

/** Issue 19's targets. */
const TARGET_RATIO = 1.5
const TARGET_CPU_MS = 8

/** Runs of each page's queries under EXPLAIN ANALYZE, for PostgreSQL's own time (the median). */
const DATABASE_TIME_RUNS = 21

/** One page as a user opens it: `path(i)` of its request i (negative: the warm-up's, the capture's). */
interface PageSpec {
  label: string
  /** list, search, detail, statistics, pdf: what the target is. */
  kind: 'list' | 'search' | 'detail' | 'statistics' | 'pdf' | 'start'
  session: keyof Sessions
  path: (iteration: number) => string
  /**
   * Run before each request, untimed, with a connection to the server's database: what the
   * page keeps is dropped, so that it is made again (the PDF's file, the statistics' snapshot).
   */
  prepare?: (database: RawConnection) => Promise<void>
}

interface Sessions {
  /** Not logged in. */
  guest: HttpSession
  admin: HttpSession
  operator: HttpSession
  staff: HttpSession
  privacy: HttpSession
}

/** A connection of the `pg` driver (what knex's pool holds). */
interface RawConnection {
  query: (sql: string, bindings?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>
}

/** What the pages refer to in the copied database. */
interface Fixture {
  accounts: BenchAccounts
  opinionId: number
  topicIds: number[]
  fiscalYears: number[]
  councilItemId: number
}

/** A page's queries as the app ran them (captured through BENCH_QUERY_LOG). */
interface CapturedQuery {
  sql: string
  bindings: unknown[]
}

export interface PageFigures {
  label: string
  kind: PageSpec['kind']
  queries: number
  appP50: number
  appP95: number
  rawP50: number
  rawP95: number
  /** The server's CPU (every process of it) over the page's requests, per request. */
  cpuMs: number
  /** Answers other than 200, e.g. 「202 ×3」. */
  failures: string
  /**
   * PostgreSQL's own time for the page's queries (planning and execution, EXPLAIN ANALYZE),
   * the median of several runs: what the raw SQL's time is besides the round trips.
   */
  databaseMs?: number
}

/** What one run prints and saves (`--save`), to compare sizes (`--compare`). */
export interface BenchHttpResult {
  opinions: number
  pages: PageFigures[]
  pdfFirstMs: number | null
  /** 202 when the document was still being made after a second (the page says so). */
  pdfFirstStatus: number
  exports: ExportFigures[]
  load: Array<{ label: string; target: string; met: boolean; result: LoadResult }>
  /** The smaller database's pages, measured in the same run (`--growth-source`). */
  growth?: { opinions: number; pages: PageFigures[] }
  /** Another build's pages on a copy of the same database, in the same run (`--baseline-build-dir`). */
  baseline?: { build: string; pages: PageFigures[] }
  /** Each page's queries as the server sent them: what its raw SQL replays. */
  queries: Record<string, CapturedQuery[]>
}

/**
 * What the second server serves, each request in turn with the measured one: a copy of
 * `--growth-source`, or a copy of the same database for the build `--baseline-build-dir`.
 */
interface SecondDatabase {
  name: string
  opinions: number
  fixture: Fixture
  /** The baseline build's copy; the growth server runs the measured build. */
  appDir?: string
}

/** One server being measured: its sessions, processes and raw connection. */
interface MeasuredServer {
  sessions: Sessions
  pids: () => number[]
  pages: PageSpec[]
  captured: Map<string, CapturedQuery[]>
  raw: RawConnection
  release: () => Promise<void>
}

/** One CSV export of every opinion, made by the app's task, next to PostgreSQL's COPY. */
interface ExportFigures {
  encoding: 'utf8' | 'cp932'
  rows: number
  seconds: number
  copySeconds: number
  /** The server's RSS (every process) at its highest while the file was made, over before. */
  rssGrowthMb: number
  /** Each process's own highest RSS over its own before, largest first (not at one moment). */
  rssGrowthByProcessMb: number[]
  megabytes: number
}

/** Issue 19 §3: the share of COPY's rate each encoding must reach, and the memory budget. */
const COPY_SHARE = { utf8: 0.3, cp932: 0.15 } as const
const RSS_BUDGET_MB = 50

/**
 * `npm run bench:http` (issue 19): each page over HTTP against the built app
 * in production mode on PostgreSQL, next to the same SQL run raw through
 * `pg` in the same run.
 *
 * First a capture server (BENCH_QUERY_LOG, start/query_log.ts) records the
 * queries each page runs (session and user included); then the measured
 * server answers each page `iterations` times, and after each request the
 * page's captured queries are replayed raw on one connection (in a
 * transaction rolled back, so writes such as the session's leave nothing).
 * The server's CPU per request is read from /proc over each page's requests.
 * A second server may answer each page right after the measured one: the
 * same build on a smaller database (`--growth-source`), or another build on
 * a copy of the same database (`--baseline-build-dir`).
 * The database is a fresh copy of `--source`, dropped at the end.
 */
export default class BenchHttp extends BaseCommand {
  static commandName = 'bench:http'
  static description =
    'Pages over HTTP in production mode against their raw SQL, with server CPU per request (PostgreSQL bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description: 'Database filled by bench:opinions, copied fresh for the run',
    default: 'daicho_bench_opinions',
  })
  declare source: string

  @flags.number({ description: 'Measured requests per page', default: 200 })
  declare iterations: number

  @flags.number({
    description:
      'Rounds of every page in turn before any is measured (a server in use runs optimised code)',
    default: 300,
  })
  declare warmup: number

  @flags.string({ description: 'Write the figures to this JSON file (to --compare later)' })
  declare save?: string

  @flags.string({
    description:
      'Print the growth from the figures of an earlier run (--save); --growth-source takes its place',
  })
  declare compare?: string

  @flags.string({
    description:
      'Also serve a copy of this smaller bench database, each request in turn with the measured one: the growth from one run',
  })
  declare growthSource?: string

  @flags.string({
    description:
      "Also serve this other build (an earlier commit's, built apart) on a copy of the same database, each request in turn with the measured one: a change measured side by side",
  })
  declare baselineBuildDir?: string

  @flags.string({
    description:
      'Start this built app instead of running `node ace build` (an older version, to compare)',
  })
  declare buildDir?: string

  @flags.boolean({ description: 'Build even with TypeScript errors' })
  declare ignoreTsErrors: boolean

  @flags.number({
    description: 'Seconds of 50 connections on the list (0: skip the load)',
    default: 20,
  })
  declare loadSeconds: number

  @flags.number({
    description: 'Seconds of 200 sessions paced at one request each 10 s',
    default: 60,
  })
  declare pacedSeconds: number

  @flags.boolean({ description: 'Skip the CSV exports of every opinion' })
  declare skipExport: boolean

  @flags.boolean({ description: 'Keep the copied database at the end' })
  declare keep: boolean

  @flags.string({
    description:
      'Node options of the server\'s processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles" (a relative path is inside the build copy) to see where its time goes',
  })
  declare serverNodeArgs?: string

  #services: ServiceProcess[] = []
  #workDir = ''

  async run() {
    const database = await benchDatabase(this)
    if (!database) return
    if (!database.postgres) return this.#embedded(database.name)
    if (database.name === this.source || database.name === this.growthSource) {
      this.logger.error(
        `bench:http runs on a PostgreSQL copy of ${this.source}: DB_CONNECTION=pg PG_DB_NAME=<another bench database>`
      )
      this.exitCode = 1
      return
    }
    if (this.growthSource && this.baselineBuildDir) {
      this.logger.error('--growth-source and --baseline-build-dir both need the second server')
      this.exitCode = 1
      return
    }
    const started = performance.now()
    await this.#prepareWorkDir()
    const notes: Array<[string, string]> = []
    const secondName = `${database.name}_${this.growthSource ? 'growth' : 'baseline'}`
    try {
      const copy = await copyBenchDatabase(this.source, database.name)
      notes.push(['database', copy.note])
      await this.kernel.exec('migration:run', ['--force'])
      const fixture = await this.#fixture()
      const second = await this.#secondDatabase(secondName, notes)
      const build = await buildBenchApp({
        appRoot: this.app.makePath(),
        workDir: this.#workDir,
        buildDir: this.buildDir,
        ignoreTsErrors: this.ignoreTsErrors,
      })
      notes.push(['build', build.note])
      const pages = this.#pages(fixture, build.appDir)

      const captured = await this.#capture(build.appDir, database.name, fixture.accounts, pages)
      let secondSide = null
      if (second) {
        const secondAppDir = second.appDir ?? build.appDir
        const secondPages = this.#pages(second.fixture, secondAppDir)
        const secondCaptured = await this.#capture(
          secondAppDir,
          second.name,
          second.fixture.accounts,
          secondPages
        )
        secondSide = { ...second, pages: secondPages, captured: secondCaptured }
      }
      const measured = await this.#measure(
        build.appDir,
        database.name,
        fixture,
        pages,
        captured,
        secondSide
      )
      notes.push(...measured.notes)
      const result: BenchHttpResult = {
        opinions: copy.opinions,
        pages: measured.pages,
        pdfFirstMs: measured.pdfFirstMs,
        pdfFirstStatus: measured.pdfFirstStatus,
        exports: measured.exports,
        load: measured.load,
        ...(second && measured.secondPages
          ? this.baselineBuildDir
            ? { baseline: { build: this.baselineBuildDir, pages: measured.secondPages } }
            : { growth: { opinions: second.opinions, pages: measured.secondPages } }
          : {}),
        queries: Object.fromEntries(captured),
      }
      if (this.save) await writeFile(this.save, JSON.stringify(result, null, 2))
      notes.push([
        'bench time',
        `${((performance.now() - started) / 60_000).toFixed(1)} min, load average ${loadavg()[0].toFixed(1)} at the end`,
      ])
      this.#print(result, notes)
    } finally {
      await this.#stopServices()
      if (!this.keep) {
        await dropBenchDatabase(database.name)
        if (this.growthSource || this.baselineBuildDir) await dropBenchDatabase(secondName)
      }
    }
  }

  /**
   * The second server's database, if any: a copy of `--growth-source` migrated by this
   * checkout, or for `--baseline-build-dir` another copy of `--source` migrated by that build
   * (its schema is part of it), and that build's own copy. The fixture is made through the
   * command's own connection pointed at the copy for the while.
   */
  async #secondDatabase(
    name: string,
    notes: Array<[string, string]>
  ): Promise<SecondDatabase | null> {
    const source = this.growthSource ?? (this.baselineBuildDir ? this.source : null)
    if (!source) return null
    const baseline = this.baselineBuildDir
      ? await buildBenchApp({
          appRoot: this.app.makePath(),
          workDir: this.#workDir,
          buildDir: this.baselineBuildDir,
          folder: 'app-baseline',
        })
      : null
    if (baseline) notes.push(['baseline build', baseline.note])
    const second = await onDatabase(name, async () => {
      const copy = await copyBenchDatabase(source, name)
      notes.push([baseline ? 'baseline database' : 'growth database', copy.note])
      if (baseline) {
        // The baseline's own migrations: a schema change (an index) is part of the change.
        const environment = await productionEnvironment({
          workDir: this.#workDir,
          databaseName: name,
          port: 0,
        })
        await runCommand(process.execPath, ['ace.js', 'migration:run', '--force'], {
          cwd: baseline.appDir,
          env: environment,
        })
      } else {
        await this.kernel.exec('migration:run', ['--force'])
      }
      return { name, opinions: copy.opinions, fixture: await this.#fixture() }
    })
    return baseline ? { ...second, appDir: baseline.appDir } : second
  }

  /**
   * The embedded default (issue 19 §7): the built app in production mode on a copy of the
   * configured SQLite file (filled by bench:opinions), one process, no Redis; the same load
   * on the list as on PostgreSQL. No raw SQL here: the figures are the load's.
   */
  async #embedded(sqliteFile: string) {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    await this.#prepareWorkDir()
    const notes: Array<[string, string]> = []
    try {
      await this.kernel.exec('migration:run', ['--force'])
      const counted = await db.from('opinions').count('* as total')
      const opinions = Number(counted[0].total)
      const accounts = await benchAccounts()
      const build = await buildBenchApp({
        appRoot: this.app.makePath(),
        workDir: this.#workDir,
        buildDir: this.buildDir,
        ignoreTsErrors: this.ignoreTsErrors,
      })
      notes.push(['build', build.note])
      // A consistent copy of the file (and its write-ahead log) where the built app looks: its tmp/.
      const copyName = 'bench-http.sqlite3'
      const copyPath = join(build.appDir, 'tmp', copyName)
      await mkdir(join(build.appDir, 'tmp'), { recursive: true })
      await rm(copyPath, { force: true })
      await db.rawQuery('VACUUM INTO ?', [copyPath])
      await db.manager.closeAll()
      notes.push([
        'database',
        `${copyPath}: copy of ${sqliteFile} (${opinions.toLocaleString('en-US')} opinions)`,
      ])
      const { server, baseUrl } = await this.#startServer('web-sqlite', build.appDir, '', {
        DB_CONNECTION: 'sqlite',
        SQLITE_FILE: copyName,
      })
      notes.push([
        'server',
        `pid ${server.child.pid}, ${serverProcesses(server.child.pid!).length} process(es); ${this.#runtime()}`,
      ])
      const sessions = await this.#login(baseUrl, accounts)
      for (let warm = 0; warm < 5; warm++)
        await sessions.operator.request('/opinions', { discard: true })
      const load = await this.#load(baseUrl, sessions, true)
      this.logger.log('')
      this.logger.log(
        `bench:http — embedded (SQLite), ${opinions.toLocaleString('en-US')} opinions`
      )
      this.#printLoad(load)
      this.#printNotes(notes)
    } finally {
      await this.#stopServices()
    }
  }

  /**
   * The work folder (build copy, logs, the servers' uploads). The CSV files of earlier runs
   * are removed: each run leaves about 390 MB of them, and nothing reads them again.
   */
  async #prepareWorkDir() {
    this.#workDir = this.app.tmpPath('bench-http')
    await rm(join(this.#workDir, 'uploads'), { recursive: true, force: true })
    await mkdir(this.#workDir, { recursive: true })
  }

  /**
   * What the servers ran with besides the build: their allocator (the RSS figures depend on
   * it) and `--server-node-args`.
   */
  #runtime() {
    const preloaded = process.env.LD_PRELOAD
    const allocator = preloaded ? `${basename(preloaded)} (LD_PRELOAD)` : 'the system malloc'
    return this.serverNodeArgs
      ? `allocator ${allocator}, node ${this.serverNodeArgs}`
      : `allocator ${allocator}`
  }

  /** Stops the servers still running and keeps their output in the work folder. */
  async #stopServices() {
    closeConnections()
    for (const service of this.#services.reverse()) {
      await stopService(service)
      await writeFile(join(this.#workDir, `${service.name}.log`), service.output())
    }
  }

  /**
   * The bench accounts, an opinion of the staff member's 課 (both may open it),
   * the topics and channels for statistics filters, and a council item with
   * its document (the demo register and council items, loaded into the copy
   * when it has none).
   */
  async #fixture(): Promise<Fixture> {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const accounts = await benchAccounts()
    const opinionId = await staffOpinionId()
    const topics = await db.from('topics').select('id').orderBy('id')
    const fiscalYears = await db.from('opinions').distinct('fiscal_year').orderBy('fiscal_year')
    return {
      accounts,
      opinionId,
      topicIds: topics.map((topic) => Number(topic.id)),
      fiscalYears: fiscalYears.map((row) => Number(row.fiscal_year)),
      councilItemId: await this.#councilItem(),
    }
  }

  /** A decided council item with its document: the first seed item of the demo data. */
  async #councilItem() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const existing = await db.from('council_items').orderBy('id').select('id').first()
    if (existing) return Number(existing.id)
    const { default: DemoData } = await import('#database/demo/demo_data')
    const { loadRegisterDemo } = await import('#database/demo/register_demo')
    const { loadCouncilDemo } = await import('#database/demo/seed_council_items')
    const { default: DocumentTemplate } = await import('#models/document_template')
    await db.transaction(async (trx) => {
      const { departmentIds, contractorIds } = await DemoData.loadOrganisation(trx)
      await loadRegisterDemo(trx, departmentIds, contractorIds)
      await loadCouncilDemo(trx)
    })
    await DocumentTemplate.ensureAll()
    const item = await db.from('council_items').orderBy('id').select('id').firstOrFail()
    return Number(item.id)
  }

  #pages(fixture: Fixture, appDir: string): PageSpec[] {
    const { topicIds, fiscalYears } = fixture
    // The first view of a filter combination: always the same one, so that the raw SQL is the
    // page's own (combinations differ threefold in cost), counted afresh on each request. The
    // last full fiscal year, the first topic and e-mail, the most common channel.
    const firstViewYear = fiscalYears.at(-2) ?? fiscalYears[0]
    const firstView = `/opinion-statistics?fiscalYear=${firstViewYear}&topicId=${topicIds[0]}&channel=email`
    return [
      {
        label: 'opinion list, operator, page 1',
        kind: 'list',
        session: 'operator',
        path: () => '/opinions',
      },
      {
        label: 'opinion list, department staff',
        kind: 'list',
        session: 'staff',
        path: () => '/opinions',
      },
      {
        label: 'opinion list, page 100',
        kind: 'list',
        session: 'operator',
        path: () => '/opinions?page=100',
      },
      {
        label: 'search 防災, operator',
        kind: 'search',
        session: 'operator',
        path: () => `/opinions?q=${encodeURIComponent('防災')}`,
      },
      {
        label: 'search 防災, department staff',
        kind: 'search',
        session: 'staff',
        path: () => `/opinions?q=${encodeURIComponent('防災')}`,
      },
      {
        label: 'opinion detail, operator',
        kind: 'detail',
        session: 'operator',
        path: () => `/opinions/${fixture.opinionId}`,
      },
      {
        label: 'opinion detail, department staff',
        kind: 'detail',
        session: 'staff',
        path: () => `/opinions/${fixture.opinionId}`,
      },
      {
        // What every page costs before its own work: session, CSRF, layout (one query).
        label: 'login page, not logged in',
        kind: 'start',
        session: 'guest',
        path: () => '/login',
      },
      {
        label: 'dashboard, operator',
        kind: 'start',
        session: 'operator',
        path: () => '/dashboard',
      },
      {
        label: 'statistics, current year',
        kind: 'statistics',
        session: 'operator',
        path: () => '/opinion-statistics',
      },
      {
        label: 'statistics, all years',
        kind: 'statistics',
        session: 'operator',
        path: () => '/opinion-statistics?fiscalYear=all',
      },
      {
        label: 'statistics, first view of a filter combination',
        kind: 'statistics',
        session: 'operator',
        path: () => firstView,
        // As after a change to an opinion of that year: its snapshots are outdated.
        prepare: async (database) => {
          const bumped = await database.query(
            'UPDATE opinion_statistics_versions SET version = version + 1 WHERE fiscal_year = $1 RETURNING version',
            [firstViewYear]
          )
          if (bumped.rows.length !== 1) throw new Error(`no statistics version of ${firstViewYear}`)
        },
      },
      {
        label: 'council document PDF',
        kind: 'pdf',
        session: 'privacy',
        path: () => `/council/items/${fixture.councilItemId}/document.pdf`,
        // Made documents are kept as files by content: without this, only the first is made.
        prepare: async () => {
          await rm(join(appDir, 'tmp', 'council-pdf'), { recursive: true, force: true })
        },
      },
    ]
  }

  async #startServer(
    name: string,
    appDir: string,
    databaseName: string,
    extra: NodeJS.ProcessEnv = {}
  ) {
    const port = await freePort()
    const environment = await productionEnvironment({
      workDir: this.#workDir,
      databaseName,
      port,
      extra,
    })
    const nodeArgs = this.serverNodeArgs?.split(/\s+/).filter(Boolean) ?? []
    const server = await startService(name, process.execPath, [...nodeArgs, 'bin/server.js'], {
      cwd: appDir,
      env: environment,
      ready: /started HTTP server/,
    })
    this.#services.push(server)
    return { server, baseUrl: `http://127.0.0.1:${port}` }
  }

  async #login(baseUrl: string, accounts: BenchAccounts): Promise<Sessions> {
    return {
      guest: new HttpSession(baseUrl),
      admin: await new HttpSession(baseUrl).login(accounts.admin, BENCH_PASSWORD),
      operator: await new HttpSession(baseUrl).login(accounts.operator, BENCH_PASSWORD),
      staff: await new HttpSession(baseUrl).login(accounts.staff, BENCH_PASSWORD),
      privacy: await new HttpSession(baseUrl).login(accounts.privacy, BENCH_PASSWORD),
    }
  }

  /**
   * The queries of each page: a server started with BENCH_QUERY_LOG answers
   * each page once to warm up, then once more with the log emptied before
   * (each request after the page's `prepare`). The page's later requests in
   * the measured run are the same.
   */
  async #capture(appDir: string, databaseName: string, accounts: BenchAccounts, pages: PageSpec[]) {
    const logFile = join(this.#workDir, 'queries.jsonl')
    await writeFile(logFile, '')
    const { server, baseUrl } = await this.#startServer('capture', appDir, databaseName, {
      BENCH_QUERY_LOG: logFile,
    })
    const sessions = await this.#login(baseUrl, accounts)
    const { raw, release } = await rawConnectionTo(databaseName)
    const captured = new Map<string, CapturedQuery[]>()
    for (const page of pages) {
      const session = sessions[page.session]
      await page.prepare?.(raw)
      // Until 200: a PDF answers 202 while it is made (its queries are the same either way).
      let warm = await session.request(page.path(-1), { discard: true })
      for (let retry = 0; warm.status === 202 && retry < 30; retry++) {
        await sleep(1000)
        warm = await session.request(page.path(-1), { discard: true })
      }
      if (warm.status !== 200) throw new Error(`${page.label}: ${describeAnswer(warm)}`)
      await page.prepare?.(raw)
      await truncate(logFile)
      const answer = await session.request(page.path(-2), { discard: true })
      if (answer.status !== 200) throw new Error(`${page.label}: ${describeAnswer(answer)}`)
      // Queries after the response (audit, session) are written by then, or within a moment.
      await sleep(200)
      const log = await readFile(logFile, 'utf8')
      const lines = log.split('\n').filter(Boolean)
      captured.set(
        page.label,
        lines.map((line) => JSON.parse(line) as CapturedQuery)
      )
    }
    await release()
    await stopService(server)
    this.#services = this.#services.filter((service) => service !== server)
    return captured
  }

  async #measure(
    appDir: string,
    databaseName: string,
    fixture: Fixture,
    pages: PageSpec[],
    captured: Map<string, CapturedQuery[]>,
    second: (SecondDatabase & { pages: PageSpec[]; captured: Map<string, CapturedQuery[]> }) | null
  ) {
    const notes: Array<[string, string]> = []
    const { server, baseUrl } = await this.#startServer('web', appDir, databaseName)
    const pids = () => serverProcesses(server.child.pid!)
    notes.push([
      'server',
      `pid ${server.child.pid}, ${pids().length} process(es): ${pids().join(', ')}; ${this.#runtime()}`,
    ])
    const sessions = await this.#login(baseUrl, fixture.accounts)
    const servers: MeasuredServer[] = [
      { sessions, pids, pages, captured, ...(await rawConnectionTo(databaseName)) },
    ]

    // The council PDF is the first page the server renders after its start.
    const pdfPage = pages.find((page) => page.kind === 'pdf')
    let pdfFirstMs: number | null = null
    let pdfFirstStatus = 0
    if (pdfPage) {
      await pdfPage.prepare?.(servers[0].raw)
      const first = await sessions[pdfPage.session].request(pdfPage.path(0), { discard: true })
      pdfFirstMs = first.ms
      pdfFirstStatus = first.status
    }

    try {
      if (second) {
        // The second server, each of its requests right after the measured one's: whatever
        // the machine does meanwhile slows both alike.
        const baseline = second.appDir !== undefined
        const started = await this.#startServer(
          baseline ? 'web-baseline' : 'web-growth',
          second.appDir ?? appDir,
          second.name
        )
        const secondPids = () => serverProcesses(started.server.child.pid!)
        servers.push({
          sessions: await this.#login(started.baseUrl, second.fixture.accounts),
          pids: secondPids,
          pages: second.pages,
          captured: second.captured,
          ...(await rawConnectionTo(second.name)),
        })
        const served = baseline
          ? `${this.baselineBuildDir} on a copy of the same database,`
          : `${second.opinions.toLocaleString('en-US')} opinions`
        notes.push([
          baseline ? 'baseline' : 'growth',
          `${served} served side by side (pid ${started.server.child.pid}), each request in turn with the measured server's`,
        ])
      }
      // A server in use: V8 has optimised the code that runs often. Just after the start it is
      // still compiling (on its own threads, counted in the CPU), for a few hundred requests.
      // Every page in turn, as users would, so that no page is measured on a colder server.
      this.logger.info(`warm-up: ${this.warmup} rounds of the ${pages.length} pages…`)
      notes.push([
        'warm-up',
        `${this.warmup} rounds of every page in turn before measuring (${(this.warmup * pages.length).toLocaleString('en-US')} requests a server)`,
      ])
      for (let round = 0; round < this.warmup; round++) {
        for (const [index] of pages.entries()) {
          for (const measured of servers) {
            const page = measured.pages[index]
            await page.prepare?.(measured.raw)
            await measured.sessions[page.session].request(page.path(-10 - round), {
              discard: true,
            })
            await replay(measured.raw, measured.captured.get(page.label) ?? [])
          }
        }
      }
      const figures: PageFigures[][] = servers.map(() => [])
      for (const [index, page] of pages.entries()) {
        this.logger.info(`${page.label}…`)
        const timings = servers.map((measured) => ({
          app: [] as number[],
          raw: [] as number[],
          // A status other than 200 (the PDF's 202: still being made after a second).
          failures: new Map<number, number>(),
          // Each server's own processes: the other's requests in between are not counted.
          cpuBefore: treeCpuMs(measured.pids()),
        }))
        for (let iteration = 0; iteration < this.iterations; iteration++) {
          for (const [side, measured] of servers.entries()) {
            const own = measured.pages[index]
            const timing = timings[side]
            await own.prepare?.(measured.raw)
            const answer = await measured.sessions[own.session].request(own.path(iteration), {
              discard: true,
            })
            if (answer.status !== 200)
              timing.failures.set(answer.status, (timing.failures.get(answer.status) ?? 0) + 1)
            timing.app.push(answer.ms)
            timing.raw.push(await replay(measured.raw, measured.captured.get(own.label) ?? []))
          }
        }
        for (const [side, measured] of servers.entries()) {
          const timing = timings[side]
          const appSummary = latencySummary(timing.app)
          const rawSummary = latencySummary(timing.raw)
          const cpuMs = (treeCpuMs(measured.pids()) - timing.cpuBefore) / this.iterations
          figures[side].push({
            label: page.label,
            kind: page.kind,
            queries: (measured.captured.get(page.label) ?? []).length,
            appP50: appSummary.p50,
            appP95: appSummary.p95,
            rawP50: rawSummary.p50,
            rawP95: rawSummary.p95,
            cpuMs,
            failures: [...timing.failures]
              .map(([status, count]) => `${status} ×${count}`)
              .join(', '),
          })
        }
      }
      // Where the raw SQL's time goes: PostgreSQL's own work, the rest being round trips.
      for (const [index, page] of pages.entries()) {
        const runs: number[] = []
        for (let run = 0; run < DATABASE_TIME_RUNS; run++) {
          runs.push(await databaseMs(servers[0].raw, captured.get(page.label) ?? []))
        }
        figures[0][index].databaseMs = median(runs)
      }
      const exports = this.skipExport ? [] : await this.#exports(sessions.admin, pids, databaseName)
      const load = await this.#load(baseUrl, sessions)
      return {
        pages: figures[0],
        secondPages: figures[1] ?? null,
        pdfFirstMs,
        pdfFirstStatus,
        exports,
        load,
        notes,
      }
    } finally {
      for (const measured of servers) await measured.release()
    }
  }

  /**
   * Every opinion as CSV, as the administrator makes it (UTF-8, then Shift_JIS): the task's
   * time from the request to done, against psql's COPY of the same columns just before; the
   * server's RSS sampled every 200 ms meanwhile.
   */
  async #exports(admin: HttpSession, pids: () => number[], databaseName: string) {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const counted = await db.from('opinions').count('* as total')
    const rows = Number(counted[0].total)
    const results: ExportFigures[] = []
    for (const encoding of ['utf8', 'cp932'] as const) {
      this.logger.info(`CSV export, ${encoding}…`)
      const copied = await copyOpinionsThroughPsql(databaseName, encoding)
      const processes = pids()
      const before = new Map(processes.map((pid) => [pid, rssMbOf(pid)]))
      const peaks = new Map(before)
      const beforeTotal = sum([...before.values()])
      let peak = beforeTotal
      const sampler = setInterval(() => {
        const now = processes.map((pid) => rssMbOf(pid))
        processes.forEach((pid, index) => peaks.set(pid, Math.max(peaks.get(pid)!, now[index])))
        peak = Math.max(peak, sum(now))
      }, 200)
      const started = performance.now()
      try {
        const token = await admin.csrfToken('/opinion-statistics')
        const start = await admin.request('/opinions/exports', {
          form: { _csrf: token, fiscalYear: 'all', encoding },
        })
        const taskId = startedTask(start, `export ${encoding}`)
        await waitForTask(admin, taskId, `export ${encoding}`, 250)
        const seconds = (performance.now() - started) / 1000
        const download = await admin.request(`/tasks/${taskId}/download`, { discard: true })
        if (download.status !== 200) throw new Error(`export download: ${describeAnswer(download)}`)
        results.push({
          encoding,
          rows,
          seconds,
          copySeconds: copied.seconds,
          rssGrowthMb: peak - beforeTotal,
          rssGrowthByProcessMb: processes
            .map((pid) => peaks.get(pid)! - before.get(pid)!)
            .sort((a, b) => b - a),
          megabytes: download.bytes / 1048576,
        })
      } finally {
        clearInterval(sampler)
      }
    }
    return results
  }

  /**
   * Many users at once on the list (issue 19 §5): 50 connections asking again as soon as
   * answered, then 200 sessions reading a page every 10 s (the operator's, staff's and
   * privacy officer's logins shared among them).
   */
  async #load(
    baseUrl: string,
    sessions: Sessions,
    embedded = false
  ): Promise<BenchHttpResult['load']> {
    const results: BenchHttpResult['load'] = []
    const url = `${baseUrl}/opinions`
    if (this.loadSeconds > 0) {
      this.logger.info(`50 connections on the list for ${this.loadSeconds} s…`)
      const result = await runLoad({
        url,
        cookie: sessions.operator.cookieHeader(),
        connections: 50,
        durationMs: this.loadSeconds * 1000,
      })
      results.push({
        label: '50 connections on the opinion list',
        // The embedded default (SQLite, one process) is asked for no timeouts only.
        target: embedded ? 'no timeouts' : '≥ 80 req/s, p99 < 1000 ms',
        met:
          result.errors === 0 &&
          (embedded
            ? result.timeouts === 0
            : result.reqPerSec >= 80 && result.p99 < 1000 && result.timeouts === 0),
        result,
      })
    }
    if (this.pacedSeconds > 0) {
      this.logger.info(`200 sessions, one request each 10 s, for ${this.pacedSeconds} s…`)
      const result = await runPaced({
        url,
        cookies: [sessions.admin, sessions.operator, sessions.staff, sessions.privacy].map(
          (session) => session.cookieHeader()
        ),
        sessions: 200,
        intervalMs: 10_000,
        durationMs: this.pacedSeconds * 1000,
      })
      results.push({
        label: '200 sessions, one request each 10 s',
        target: embedded ? 'no timeouts' : 'p99 < 300 ms',
        met:
          result.errors === 0 &&
          (embedded ? result.timeouts === 0 : result.p99 < 300 && result.timeouts === 0),
        result,
      })
    }
    return results
  }

  #print(result: BenchHttpResult, notes: Array<[string, string]>) {
    // The smaller database served in this run, or else an earlier run's figures (--compare).
    const smaller =
      result.growth ??
      (this.compare ? (JSON.parse(readFileSync(this.compare, 'utf8')) as BenchHttpResult) : null)
    const sideBySide = result.growth !== undefined
    this.logger.log('')
    this.logger.log(
      `bench:http — ${result.opinions.toLocaleString('en-US')} opinions, ${this.iterations} requests per page, p95 in ms`
    )
    const table = this.ui.table()
    const head = [
      'page',
      'queries',
      'not 200',
      'app p95',
      'raw p95',
      'ratio',
      'CPU ms/req',
      'CPU − SQL',
      'target',
    ]
    const baseline = result.baseline
    if (baseline) {
      head.push(
        'baseline queries',
        'baseline app p95',
        'baseline CPU',
        'app p95 change',
        'CPU change'
      )
    } else if (smaller) {
      const size = smaller.opinions.toLocaleString('en-US')
      head.push(`app p95 at ${size}${sideBySide ? '' : ' (--compare)'}`)
      if (sideBySide) head.push(`raw p95 at ${size}`, 'raw growth')
      head.push('growth')
    }
    table.head(head)
    for (const page of result.pages) {
      const ratio = page.rawP95 > 0 ? page.appP95 / page.rawP95 : 0
      const cpuLessSql = Math.max(0, page.cpuMs - page.rawP50)
      const row = [
        page.label,
        String(page.queries),
        page.failures || '0',
        ms(page.appP95),
        ms(page.rawP95),
        `${ratio.toFixed(2)}×`,
        ms(page.cpuMs),
        ms(cpuLessSql),
        verdict(page, ratio, cpuLessSql),
      ]
      if (baseline) {
        const before = baseline.pages.find((entry) => entry.label === page.label)
        row.push(
          before ? String(before.queries) : '-',
          before ? ms(before.appP95) : '-',
          before ? ms(before.cpuMs) : '-',
          growthPercent(before?.appP95, page.appP95),
          growthPercent(before?.cpuMs, page.cpuMs)
        )
      } else if (smaller) {
        const before = smaller.pages.find((entry) => entry.label === page.label)
        row.push(before ? ms(before.appP95) : '-')
        if (sideBySide) {
          row.push(before ? ms(before.rawP95) : '-', growthPercent(before?.rawP95, page.rawP95))
        }
        row.push(growthPercent(before?.appP95, page.appP95))
      }
      table.row(row)
    }
    table.render()
    this.#printDatabaseTime(result.pages)
    if (result.pdfFirstMs !== null) {
      const pdf = result.pages.find((page) => page.kind === 'pdf')
      this.logger.log(
        `council PDF: first request after start ${ms(result.pdfFirstMs)} ms, status ${result.pdfFirstStatus} (target < 1000 ms, 200), p95 ${ms(pdf?.appP95 ?? 0)} ms (target < 400)`
      )
    }
    this.#printExports(result.exports)
    this.#printLoad(result.load)
    this.#printNotes(notes)
  }

  /** How much of each page's raw SQL is PostgreSQL's own work, and how much the round trips. */
  #printDatabaseTime(pages: PageFigures[]) {
    const measured = pages.filter((page) => page.databaseMs !== undefined)
    if (measured.length === 0) return
    const table = this.ui.table()
    table.head(['raw SQL, p50', 'queries', 'raw p50', 'in PostgreSQL', 'round trips and driver'])
    for (const page of measured) {
      const inDatabase = page.databaseMs!
      table.row([
        page.label,
        String(page.queries),
        ms(page.rawP50),
        ms(inDatabase),
        ms(Math.max(0, page.rawP50 - inDatabase)),
      ])
    }
    table.render()
    this.logger.log(
      '"in PostgreSQL": planning and execution as EXPLAIN ANALYZE reports them, the median of ' +
        `${DATABASE_TIME_RUNS} runs of the page's queries after the measured requests`
    )
  }

  #printLoad(load: BenchHttpResult['load']) {
    if (load.length > 0) {
      const table = this.ui.table()
      table.head([
        'load',
        'requests',
        'req/s',
        'p50',
        'p95',
        'p99',
        'timeouts',
        'errors',
        'target',
        'met',
      ])
      for (const entry of load) {
        const figures = entry.result
        table.row([
          entry.label,
          String(figures.requests),
          String(figures.reqPerSec),
          ms(figures.p50),
          ms(figures.p95),
          ms(figures.p99),
          String(figures.timeouts),
          String(figures.errors),
          entry.target,
          entry.met ? 'yes' : 'no',
        ])
      }
      table.render()
      for (const { label, result } of load) {
        if (!result.perConnection) continue
        const { min, median: middle, max } = result.perConnection
        this.logger.log(
          `${label}: each connection answered ${min}–${max} requests (median ${middle}); a wide spread means the workers did not share the connections evenly`
        )
      }
    }
  }

  #printExports(exports: ExportFigures[]) {
    if (exports.length === 0) return
    const table = this.ui.table()
    table.head([
      'CSV export',
      'rows',
      'MB',
      'rows/s',
      'COPY rows/s',
      'share',
      'RSS growth',
      'by process',
      'target',
      'met',
    ])
    for (const entry of exports) {
      const rate = entry.rows / entry.seconds
      const copyRate = entry.rows / entry.copySeconds
      const share = rate / copyRate
      table.row([
        entry.encoding === 'utf8' ? 'UTF-8' : 'Shift_JIS',
        entry.rows.toLocaleString('en-US'),
        entry.megabytes.toFixed(0),
        Math.round(rate).toLocaleString('en-US'),
        Math.round(copyRate).toLocaleString('en-US'),
        `${(share * 100).toFixed(0)} %`,
        `${entry.rssGrowthMb.toFixed(0)} MB`,
        entry.rssGrowthByProcessMb.map((mb) => `+${mb.toFixed(0)}`).join(' / '),
        `≥ ${COPY_SHARE[entry.encoding] * 100} % of COPY, RSS < ${RSS_BUDGET_MB} MB`,
        share >= COPY_SHARE[entry.encoding] && entry.rssGrowthMb < RSS_BUDGET_MB ? 'yes' : 'no',
      ])
    }
    table.render()
  }

  #printNotes(notes: Array<[string, string]>) {
    const setup = this.ui.table()
    setup.head(['bench:http', 'setup'])
    for (const note of notes) setup.row(note)
    setup.render()
  }
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0))

/** `+12 %`: from the smaller database's figure to the measured one's. */
const growthPercent = (before: number | undefined, after: number) =>
  before ? `${(((after - before) / before) * 100).toFixed(0)} %` : '-'

/** Whether the page meets issue 19's target for its kind. */
function verdict(page: PageFigures, ratio: number, cpuLessSql: number) {
  if (page.kind === 'pdf') return page.appP95 < 400 ? 'yes (< 400 ms)' : 'no (< 400 ms)'
  if (page.kind === 'start') return `${ratio <= TARGET_RATIO ? 'yes' : 'no'} (info)`
  const ratioMet = ratio <= TARGET_RATIO
  if (page.kind === 'statistics') return ratioMet ? 'yes' : 'no'
  return ratioMet && cpuLessSql <= TARGET_CPU_MS ? 'yes' : 'no'
}

/** The primary connection's config with another database: to copy, migrate or read it. */
function withDatabase(db: Database, name: string): ConnectionConfig {
  const config = db.manager.get(db.primaryConnectionName)!.config as PostgreConfig
  return { ...config, connection: { ...(config.connection as object), database: name } }
}

/** Runs `work` with the command's primary connection on database `name`, then restores it. */
async function onDatabase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const original = db.manager.get(db.primaryConnectionName)!.config
  db.manager.patch(db.primaryConnectionName, withDatabase(db, name))
  try {
    return await work()
  } finally {
    db.manager.patch(db.primaryConnectionName, original)
  }
}

/**
 * One connection of the `pg` driver itself to database `name`, taken from the pool of the
 * command's primary connection when it is on that database, else of a connection of its own.
 */
async function rawConnectionTo(name: string) {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const primary = db.manager.get(db.primaryConnectionName)!.config as PostgreConfig
  let connectionName = db.primaryConnectionName
  if ((primary.connection as { database?: string }).database !== name) {
    connectionName = `bench_${name}`
    if (!db.manager.has(connectionName)) db.manager.add(connectionName, withDatabase(db, name))
  }
  const knex = db.connection(connectionName).getWriteClient()
  const raw = (await knex.client.acquireConnection()) as RawConnection
  return { raw, release: () => knex.client.releaseConnection(raw) as Promise<void> }
}

/**
 * Replays a page's queries on one connection in a transaction rolled back; returns the ms.
 * An INSERT may repeat a unique value the captured request wrote (the audit chain's hash):
 * it runs under a savepoint and its unique violation is ignored (the insert's work is done).
 */
async function replay(client: RawConnection, queries: CapturedQuery[]) {
  const started = process.hrtime.bigint()
  await replayEach(client, queries, (query) => client.query(query.sql, query.bindings))
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** Runs `run` for each query in a transaction rolled back, an INSERT under a savepoint. */
async function replayEach(
  client: RawConnection,
  queries: CapturedQuery[],
  run: (query: CapturedQuery) => Promise<unknown>
) {
  await client.query('BEGIN')
  try {
    for (const query of queries) {
      if (!/^\s*insert\b/i.test(query.sql)) {
        await run(query)
        continue
      }
      await client.query('SAVEPOINT replay')
      try {
        await run(query)
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error
      }
      await client.query('ROLLBACK TO SAVEPOINT replay')
    }
  } finally {
    await client.query('ROLLBACK')
  }
}

/**
 * PostgreSQL's own ms for a page's queries, as the replay runs them: the planning and
 * execution times EXPLAIN ANALYZE reports (a SET is run but not counted).
 */
async function databaseMs(client: RawConnection, queries: CapturedQuery[]) {
  let total = 0
  await replayEach(client, queries, async (query) => {
    if (!/^\s*(select|insert|update|delete|with)\b/i.test(query.sql)) {
      return client.query(query.sql, query.bindings)
    }
    const explained = await client.query(
      `EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ${query.sql}`,
      query.bindings
    )
    const [plan] = explained.rows[0]['QUERY PLAN'] as Array<Record<string, number>>
    total += plan['Planning Time'] + plan['Execution Time']
  })
  return total
}

/** The server's process and its children (cluster workers), from /proc. */
function serverProcesses(pid: number): number[] {
  const found = [pid]
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
    for (const child of children.split(/\s+/).filter(Boolean))
      found.push(...serverProcesses(Number(child)))
  } catch {
    // The process is gone: nothing more to count.
  }
  return found
}

/** Resident memory of a process, in MB (VmRSS of /proc/<pid>/status); 0 once it ended. */
function rssMbOf(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** User and system CPU of these processes, in ms (from /proc/<pid>/stat, 100 ticks a second). */
function treeCpuMs(pids: number[]) {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime and stime are fields 14 and 15 of the line; 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // A worker that ended between the two reads.
    }
  }
  return ticks * 10
}
