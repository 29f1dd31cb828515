import { mkdir, rm, writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { benchDatabase, seededRandom } from '#database/bench/bench_support'
import {
  BENCH_PASSWORD,
  benchAccounts,
  staffOpinionId,
  buildBenchApp,
  copyBenchDatabase,
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
  startService,
  stopService,
  type LatencySummary,
  type ServiceProcess,
} from '#database/bench/bench_http'

/** The figure issue 17 asks for: other pages' p95 while an import and an export run. */
const TARGET_P95_MS = 200

/** A page other users keep opening while the background work runs. */
interface Page {
  label: string
  session: HttpSession
  path: string
}

/** What the pages and the import refer to in the copied database. */
interface Fixture {
  accounts: BenchAccounts
  opinionId: number
  departments: string[]
  topics: string[]
  summary: string
}

/** The other pages' figures over a stretch of time: a scenario or one phase of it. */
interface Figures {
  latency: LatencySummary
  errors: number
  /** 「408 ×12, ECONNRESET ×3」 */
  errorKinds: string
}

interface ScenarioResult extends Figures {
  scenario: string
  work: string
  seconds: number
  byPage: Map<string, LatencySummary>
  /** The same figures for each phase of the work (the import's check and import…). */
  phases: Array<Figures & { name: string }>
  load: number
}

interface Sample {
  page: string
  phase: string
  ms: number
  /** A status other than 200, or the error code. */
  failure: string | null
}

function figures(samples: Sample[]): Figures {
  const failures = new Map<string, number>()
  for (const sample of samples) {
    if (sample.failure) failures.set(sample.failure, (failures.get(sample.failure) ?? 0) + 1)
  }
  return {
    latency: latencySummary(samples.map((sample) => sample.ms)),
    errors: samples.filter((sample) => sample.failure).length,
    errorKinds: [...failures].map(([kind, count]) => `${kind} ×${count}`).join(', '),
  }
}

/**
 * Requests to the other pages at a fixed rate, round robin, whatever the
 * server does (an open loop): when the server stalls, the requests of the
 * stalled seconds queue up and are all counted slow, as users would feel
 * it. A closed loop (next request after the answer) would hide a stall
 * behind a single slow sample. Each request belongs to the phase of the
 * work in which it was sent (`mark`).
 */
class PageLoad {
  #samples: Sample[] = []
  #pending = new Set<Promise<void>>()
  #phase = ''
  #stopped = false
  #loop: Promise<void> | null = null

  constructor(
    private pages: Page[],
    private perSecond: number
  ) {}

  start() {
    this.#loop = this.#run()
  }

  /** Requests sent from now on belong to `phase`. */
  mark(phase: string) {
    this.#phase = phase
  }

  async #run() {
    const interval = 1000 / this.perSecond
    const started = performance.now()
    for (let index = 0; !this.#stopped; index++) {
      const page = this.pages[index % this.pages.length]
      const phase = this.#phase
      const sent = performance.now()
      const request = page.session
        .request(page.path, { discard: true })
        .then(
          (result) => {
            const failure = result.status === 200 ? null : String(result.status)
            this.#samples.push({ page: page.label, phase, ms: result.ms, failure })
          },
          (error: NodeJS.ErrnoException) => {
            // A dropped connection kept the user waiting too: its time counts.
            const failure = error.code ?? error.message
            this.#samples.push({ page: page.label, phase, ms: performance.now() - sent, failure })
          }
        )
        .finally(() => this.#pending.delete(request))
      this.#pending.add(request)
      const wait = started + (index + 1) * interval - performance.now()
      if (wait > 0) await sleep(wait)
    }
  }

  /** Stops sending and waits for the requests still open (a stall counts in full). */
  async stop() {
    this.#stopped = true
    await this.#loop
    await Promise.all(this.#pending)
    const by = (key: 'page' | 'phase') => {
      const groups = new Map<string, Sample[]>()
      for (const sample of this.#samples) {
        groups.set(sample[key], [...(groups.get(sample[key]) ?? []), sample])
      }
      return groups
    }
    return {
      ...figures(this.#samples),
      byPage: new Map([...by('page')].map(([page, list]) => [page, figures(list).latency])),
      phases: [...by('phase')]
        .filter(([phase]) => phase)
        .map(([name, list]) => ({ name, ...figures(list) })),
    }
  }
}

/**
 * `npm run bench` (last part, issue 17 §4): how other users' pages answer
 * while a 30,000-row legacy opinion import and a 1,000,000-row opinion CSV
 * export run, over HTTP, against the app built and started in production
 * mode on PostgreSQL. The database is a fresh copy of the one bench:opinions
 * fills (1,000,000 opinions), dropped at the end.
 *
 * Production setup: the web server and a separate `node ace queue:listen`
 * worker on Redis (a private redis-server on a free port when one is
 * installed, so no other process takes the jobs). Then the embedded mode: no
 * REDIS_HOST, jobs run in the web process after the response.
 *
 * Other users open the start page, the dashboard, the opinion list (operator
 * and department staff), an opinion and /faq at a fixed rate; the bench prints
 * their median, p95, p99 and maximum with no background work, during the
 * import (upload, check, import, until the rows are in the search index) and
 * during the export (made, then downloaded), also by phase.
 */
export default class BenchBackground extends BaseCommand {
  static commandName = 'bench:background'
  static description =
    'Latency of other pages while a legacy import and a CSV export run, over HTTP in production mode (PostgreSQL bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description: 'Database filled by bench:opinions, copied fresh for the run',
    default: 'daicho_bench_opinions',
  })
  declare source: string

  @flags.number({ description: 'Rows of the legacy opinion CSV', default: 30_000 })
  declare importRows: number

  @flags.number({ description: 'Requests per second to the other pages', default: 5 })
  declare rate: number

  @flags.number({ description: 'Seconds of the baseline (no background work)', default: 30 })
  declare baselineSeconds: number

  @flags.number({ description: 'Seconds of unmeasured requests after the start', default: 20 })
  declare warmUpSeconds: number

  @flags.number({ description: 'Repetitions of baseline, import and export', default: 1 })
  declare runs: number

  @flags.boolean({ description: 'Only the production setup (skip the embedded mode)' })
  declare queueOnly: boolean

  @flags.string({
    description:
      'Start this built app instead of running `node ace build` (build: as it is; or an older version, to compare)',
  })
  declare buildDir?: string

  @flags.boolean({
    description: 'Build even with TypeScript errors (node ace build --ignore-ts-errors)',
  })
  declare ignoreTsErrors: boolean

  @flags.boolean({ description: 'Keep the copied database and its files at the end' })
  declare keep: boolean

  #services: ServiceProcess[] = []
  #workDir = ''

  async run() {
    const database = await benchDatabase(this)
    if (!database) return
    if (!database.postgres || database.name === this.source) {
      this.logger.error(
        `bench:background runs on a PostgreSQL copy of ${this.source}: DB_CONNECTION=pg PG_DB_NAME=<another bench database>`
      )
      this.exitCode = 1
      return
    }
    const started = performance.now()
    this.#workDir = this.app.tmpPath('bench-background')
    await mkdir(this.#workDir, { recursive: true })
    await this.#removeFiles()
    const notes: Array<[string, string]> = []
    try {
      const copy = await copyBenchDatabase(this.source, database.name)
      notes.push(['database', copy.note])
      await this.kernel.exec('migration:run', ['--force'])
      const fixture = await this.#fixture()
      notes.push(['data', fixture.summary])
      const build = await buildBenchApp({
        appRoot: this.app.makePath(),
        workDir: this.#workDir,
        buildDir: this.buildDir,
        ignoreTsErrors: this.ignoreTsErrors,
      })
      notes.push(['build', build.note])

      const sections: Array<{ title: string; results: ScenarioResult[] }> = []
      const modes = this.queueOnly ? (['queue'] as const) : (['queue', 'embedded'] as const)
      for (const mode of modes) {
        const results = await this.#measureMode(mode, database.name, fixture, notes)
        sections.push({
          title:
            mode === 'queue'
              ? 'production: web server + `node ace queue:listen` worker on Redis'
              : 'embedded: no REDIS_HOST, jobs in the web process after the response',
          results,
        })
      }
      notes.push([
        'bench time',
        `${((performance.now() - started) / 60_000).toFixed(1)} min (machine shared: load average at each scenario's end in the table)`,
      ])
      this.#print(sections, notes)
    } finally {
      closeConnections()
      for (const service of this.#services.reverse()) {
        await stopService(service)
        await writeFile(join(this.#workDir, `${service.name}.log`), service.output())
      }
      if (!this.keep) {
        await this.#removeFiles()
        await dropBenchDatabase(database.name)
      }
    }
  }

  /** The files of the copy: exported CSVs (about 230 MB each), stored uploads, retention keys. */
  async #removeFiles() {
    for (const folder of ['uploads', 'retention-keys'])
      await rm(join(this.#workDir, folder), { recursive: true, force: true })
  }

  /**
   * The accounts (bench:opinions' operator and department staff, and an
   * administrator for the import and export), an opinion both can open, and
   * the codes the legacy CSV refers to.
   */
  async #fixture(): Promise<Fixture> {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: Department } = await import('#models/department')
    const accounts = await benchAccounts()
    const opinionId = await staffOpinionId()
    const sections = await Department.query().whereLike('code', 'bench-%-%')
    const departments = sections.map((department) => department.code)
    const topicRows = await db.from('topics').select('code')
    const topics = topicRows.map((topic) => String(topic.code))
    return {
      accounts,
      opinionId,
      departments,
      topics,
      summary: `opinion /opinions/${opinionId}; legacy CSV with ${departments.length} department and ${topics.length} topic codes`,
    }
  }

  /** A private Redis on a free port, or the configured one when redis-server is not installed. */
  async #redis() {
    const port = await freePort()
    try {
      const redis = await startService(
        'redis',
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { cwd: this.#workDir, env: process.env, ready: /Ready to accept connections/ }
      )
      this.#services.push(redis)
      return { address: `127.0.0.1:${port}`, service: redis, note: `private redis-server :${port}` }
    } catch (error) {
      const { default: env } = await import('#start/env')
      const address = `${env.get('REDIS_HOST', '127.0.0.1')}:${env.get('REDIS_PORT', 6379)}`
      this.logger.warning(
        `no redis-server to start (${(error as Error).message}): using ${address}`
      )
      return { address, service: null, note: `Redis at ${address}` }
    }
  }

  async #measureMode(
    mode: 'queue' | 'embedded',
    databaseName: string,
    fixture: Fixture,
    notes: Array<[string, string]>
  ) {
    const appDir = join(this.#workDir, 'app')
    const redis = mode === 'queue' ? await this.#redis() : null
    const port = await freePort()
    const environment = await productionEnvironment({
      workDir: this.#workDir,
      databaseName,
      port,
      redis: redis?.address ?? null,
    })
    const web = await startService(`web-${mode}`, process.execPath, ['bin/server.js'], {
      cwd: appDir,
      env: environment,
      ready: /started HTTP server/,
    })
    this.#services.push(web)
    let worker: ServiceProcess | null = null
    if (mode === 'queue') {
      worker = await startService(`worker-${mode}`, process.execPath, ['ace.js', 'queue:listen'], {
        cwd: appDir,
        env: environment,
        ready: /processing started/,
      })
      this.#services.push(worker)
    }
    notes.push([
      `${mode} processes`,
      `web pid ${web.child.pid} :${port}${worker ? `, worker pid ${worker.child.pid}, ${redis!.note}` : ''}`,
    ])

    const baseUrl = `http://127.0.0.1:${port}`
    const admin = await new HttpSession(baseUrl).login(fixture.accounts.admin, BENCH_PASSWORD)
    const operator = await new HttpSession(baseUrl).login(fixture.accounts.operator, BENCH_PASSWORD)
    const staff = await new HttpSession(baseUrl).login(fixture.accounts.staff, BENCH_PASSWORD)
    const visitor = new HttpSession(baseUrl)
    const pages: Page[] = [
      { label: 'start page /', session: visitor, path: '/' },
      { label: 'dashboard (operator)', session: operator, path: '/dashboard' },
      { label: 'opinion list (operator)', session: operator, path: '/opinions' },
      { label: 'opinion list (department staff)', session: staff, path: '/opinions' },
      {
        label: 'opinion detail (operator)',
        session: operator,
        path: `/opinions/${fixture.opinionId}`,
      },
      { label: '/faq', session: visitor, path: '/faq' },
    ]
    // Warm-up, not measured: templates compiled, pools filled, the copied database in cache.
    for (const page of pages) {
      const result = await page.session.request(page.path, { discard: true })
      if (result.status !== 200)
        throw new Error(`${page.label}: ${page.path} answered ${result.status}`)
    }
    await this.#scenario('warm-up', pages, () => sleep(this.warmUpSeconds * 1000))

    const results: ScenarioResult[] = []
    for (let run = 1; run <= this.runs; run++) {
      const suffix = this.runs > 1 ? ` #${run}` : ''
      results.push(
        await this.#scenario(`baseline${suffix}`, pages, async () => {
          await sleep(this.baselineSeconds * 1000)
          return 'none'
        })
      )
      const prefix = `BG${mode === 'queue' ? 'Q' : 'E'}${run}-${Date.now().toString(36)}`
      const csv = this.#legacyCsv(prefix, fixture.departments, fixture.topics)
      results.push(
        await this.#scenario(`during import${suffix}`, pages, (mark) =>
          this.#importOpinions(admin, csv, prefix, mark)
        )
      )
      results.push(
        await this.#scenario(`during export${suffix}`, pages, (mark) =>
          this.#exportOpinions(admin, mark)
        )
      )
    }

    if (worker) await stopService(worker)
    await stopService(web)
    if (redis?.service) await stopService(redis.service)
    return results
  }

  async #scenario(
    scenario: string,
    pages: Page[],
    work: (mark: (phase: string) => void) => Promise<unknown>
  ): Promise<ScenarioResult> {
    this.logger.info(`${scenario}…`)
    await sleep(2000)
    const load = new PageLoad(pages, this.rate)
    const started = performance.now()
    load.start()
    const done = await work((phase) => load.mark(phase))
    const seconds = (performance.now() - started) / 1000
    const measured = await load.stop()
    return { scenario, work: String(done), seconds, ...measured, load: loadavg()[0] }
  }

  /**
   * A legacy opinion CSV of `importRows` valid records (the old system's
   * words, as in the migration guide): 70 % answered and closed, some with
   * the submitter's name, phone and e-mail.
   */
  #legacyCsv(prefix: string, departments: string[], topics: string[]) {
    const next = seededRandom(17_004)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const words = ['防災', '駐輪場', '保育園', 'ごみ収集', '道路', '公園', '図書館', '街路灯']
    const places = ['西新宿', '高田馬場', '四谷', '神楽坂', '大久保', '落合']
    const names = ['山田 太郎', '佐藤 花子', '鈴木 一郎', '高橋 美咲', '田中 健']
    const cell = (value: string) =>
      /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
    const day = 86_400_000
    const today = Date.now()
    const date = (ms: number) =>
      new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
    const lines = [
      '旧ID,受付日,受付方法,種別,分野コード,件名,内容,氏名,電話番号,メールアドレス,郵便番号,住所,主管課コード,状態,回答内容,回答日,回答方法',
    ]
    for (let index = 1; index <= this.importRows; index++) {
      const received = today - (30 + Math.floor(next() * 1000)) * day - Math.floor(next() * day)
      const word = pick(words)
      const place = pick(places)
      const named = next() < 0.5
      const roll = next()
      const status = roll < 0.7 ? '完了' : roll < 0.9 ? '対応中' : '受付'
      const replied = status === '完了'
      lines.push(
        [
          `${prefix}-${index}`,
          date(received),
          pick(['メール', 'ホームページ', 'はがき', '手紙', '窓口', 'ファクス']),
          pick(['意見', '要望', '問合せ', '苦情', '提案']),
          next() < 0.9 ? pick(topics) : '',
          `${place}の${word}について`,
          `${place}の${word}を改善してください。以前から${pick(words)}も気になっています。`,
          named ? pick(names) : '',
          named && next() < 0.5
            ? `03-${1000 + (index % 9000)}-${String(index % 10_000).padStart(4, '0')}`
            : '',
          named && next() < 0.5 ? `citizen${index}@example.jp` : '',
          '',
          '',
          pick(departments),
          status,
          replied ? `${word}についてのご意見ありがとうございました。担当課で対応いたします。` : '',
          replied ? date(received + (2 + Math.floor(next() * 20)) * day).slice(0, 10) : '',
          replied ? pick(['メール', '文書']) : '',
        ]
          .map(cell)
          .join(',')
      )
    }
    return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`)
  }

  /**
   * The import as the administrator does it: upload (the check runs as a task), wait for
   * the check, 「この内容で取り込む」 (the import runs on the same task), wait for it.
   */
  async #importOpinions(
    admin: HttpSession,
    csv: Buffer,
    prefix: string,
    mark: (phase: string) => void
  ) {
    mark('upload')
    const file = { field: 'file', fileName: 'opinions.csv', type: 'text/csv', data: csv }
    const token = await admin.csrfToken('/legacy-imports')
    const upload = await admin.request('/legacy-imports/preview', {
      multipart: { fields: { kind: 'opinions', encoding: 'utf8', _csrf: token }, files: [file] },
    })
    const taskId = startedTask(upload, 'import upload')
    mark('check')
    const check = await waitForTask(admin, taskId, 'import check')
    mark('import')
    const apply = await admin.request(`/legacy-imports/${taskId}/apply`, {
      form: { _csrf: token },
    })
    startedTask(apply, 'import apply')
    const applied = await waitForTask(admin, taskId, 'import')
    const created = await this.#importedCount(prefix)
    if (created !== this.importRows)
      throw new Error(`import created ${created} of ${this.importRows} opinions`)
    // The work is over when the imported opinions can be found by text search too (their
    // index may follow the import in jobs of its own).
    mark('search index')
    const indexStarted = performance.now()
    while ((await this.#importedCount(prefix, true)) < created) await sleep(1000)
    const indexed = (performance.now() - indexStarted) / 1000
    return `import ${created.toLocaleString('en-US')} rows: upload ${ms(upload.ms)} ms, check ${seconds(check)} s, apply ${ms(apply.ms)} ms, import ${seconds(applied)} s, search index ${seconds(indexed)} s more`
  }

  /** Opinions of this import (with `indexed`: those already in the search index). */
  async #importedCount(prefix: string, indexed = false) {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { OPINION_DOC_TYPE } = await import('#services/opinions/opinion_search')
    const counted = await db
      .from('opinions')
      .whereLike('legacy_id', `${prefix}-%`)
      .if(indexed, (query) =>
        query.whereExists((bigrams) =>
          bigrams
            .from('search_bigrams')
            .where('doc_type', OPINION_DOC_TYPE)
            .whereColumn('doc_id', 'opinions.id')
        )
      )
      .count('* as total')
    return Number(counted[0].total)
  }

  /** Every year's opinions as UTF-8 CSV: start the task, wait for it, download the file. */
  async #exportOpinions(admin: HttpSession, mark: (phase: string) => void) {
    mark('made')
    const start = await admin.request('/opinions/exports', {
      form: {
        _csrf: await admin.csrfToken('/legacy-imports'),
        fiscalYear: 'all',
        encoding: 'utf8',
      },
    })
    const taskId = startedTask(start, 'export')
    const made = await waitForTask(admin, taskId, 'export')
    mark('download')
    const download = await admin.request(`/tasks/${taskId}/download`, {
      discard: true,
      countLines: true,
    })
    if (download.status !== 200) throw new Error(`export download: ${describeAnswer(download)}`)
    return `export ${(download.lines - 1).toLocaleString('en-US')} rows, ${(download.bytes / 1048576).toFixed(0)} MB: start ${ms(start.ms)} ms, made in ${seconds(made)} s, download ${(download.ms / 1000).toFixed(1)} s`
  }

  #print(
    sections: Array<{ title: string; results: ScenarioResult[] }>,
    notes: Array<[string, string]>
  ) {
    for (const section of sections) {
      this.logger.log('')
      this.logger.log(`bench:background — ${section.title}`)
      const table = this.ui.table()
      table.head([
        'other pages',
        'requests',
        'errors',
        'median ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        `p95 < ${TARGET_P95_MS} ms`,
        'load',
        'background work',
      ])
      const groups = byScenario(section.results)
      const rows = [...section.results]
      if (this.runs > 1) rows.push(...[...groups].map(([name, list]) => medianResult(name, list)))
      const row = (label: string, figure: Figures, load: string, work: string) =>
        table.row([
          label,
          ms(figure.latency.count),
          figure.errors ? `${ms(figure.errors)} (${figure.errorKinds})` : '0',
          ms(figure.latency.p50),
          ms(figure.latency.p95),
          ms(figure.latency.p99),
          ms(figure.latency.max),
          figure.latency.p95 < TARGET_P95_MS ? 'yes' : 'no',
          load,
          work,
        ])
      for (const result of rows) {
        row(result.scenario, result, result.load.toFixed(1), result.work)
        for (const phase of result.phases) row(`  · ${phase.name}`, phase, '', '')
      }
      table.render()

      // p95 by page: the median over the runs.
      const labels = [...new Set(section.results.flatMap((result) => [...result.byPage.keys()]))]
      const byPage = this.ui.table()
      byPage.head([
        `p95 ms by page${this.runs > 1 ? ` (median of ${this.runs} runs)` : ''}`,
        ...groups.keys(),
      ])
      for (const label of labels) {
        byPage.row([
          label,
          ...[...groups.values()].map((list) => {
            const values = list.flatMap((result) => result.byPage.get(label)?.p95 ?? [])
            return values.length ? ms(median(values)) : '-'
          }),
        ])
      }
      byPage.render()
    }
    const table = this.ui.table()
    table.head(['bench:background', 'setup'])
    for (const note of notes) table.row(note)
    table.render()
  }
}

const ms = (value: number) => value.toFixed(0)
const seconds = (value: number) => value.toFixed(1)

/** The results of each scenario over the runs (「baseline #2」 → 「baseline」). */
function byScenario(results: ScenarioResult[]) {
  const groups = new Map<string, ScenarioResult[]>()
  for (const result of results) {
    const name = result.scenario.replace(/ #\d+$/, '')
    groups.set(name, [...(groups.get(name) ?? []), result])
  }
  return groups
}

/** The median over the runs of each figure (request and error counts too). */
function medianFigures(list: Figures[]): Figures {
  const of = (pick: (figure: Figures) => number) => median(list.map(pick))
  return {
    latency: {
      count: of((figure) => figure.latency.count),
      p50: of((figure) => figure.latency.p50),
      p95: of((figure) => figure.latency.p95),
      p99: of((figure) => figure.latency.p99),
      max: of((figure) => figure.latency.max),
    },
    errors: of((figure) => figure.errors),
    errorKinds: 'median',
  }
}

/** One scenario's runs as a row of medians, with its phases' medians. */
function medianResult(name: string, list: ScenarioResult[]): ScenarioResult {
  const phaseNames = [
    ...new Set(list.flatMap((result) => result.phases.map((phase) => phase.name))),
  ]
  return {
    scenario: `${name}: median of ${list.length} runs`,
    work: `p95 of each run: ${list.map((result) => ms(result.latency.p95)).join(', ')} ms`,
    seconds: median(list.map((result) => result.seconds)),
    ...medianFigures(list),
    byPage: new Map(),
    phases: phaseNames.map((phase) => ({
      name: phase,
      ...medianFigures(
        list.flatMap((result) => result.phases.filter((entry) => entry.name === phase))
      ),
    })),
    load: median(list.map((result) => result.load)),
  }
}
