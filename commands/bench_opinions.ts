import { Writable } from 'node:stream'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import {
  benchDatabase,
  onMaintenanceDatabase,
  percentile,
  pgDatabaseExists,
  quotedName,
  seededRandom,
} from '#database/bench/bench_support'

const WARD_WORDS = [
  '防災',
  '駐輪場',
  '保育園',
  'ごみ収集',
  '道路',
  '騒音',
  '公園',
  '住民票',
  '税金',
  '図書館',
  '児童館',
  '放置自転車',
  '街路灯',
  '区役所',
  '窓口',
  '高齢者',
  '介護',
  '子育て',
  '国民健康保険',
  '粗大ごみ',
  '歩道',
  '交差点',
  '避難所',
  'マイナンバー',
  '区民センター',
  '工事',
  '清掃',
  '落書き',
  '防犯カメラ',
  '学童保育',
]
const PLACES = [
  '西新宿',
  '高田馬場',
  '四谷',
  '神楽坂',
  '大久保',
  '落合',
  '戸山',
  '早稲田',
  '新宿三丁目',
  '若松町',
]
const SUBJECT_ENDINGS = ['について', 'の件', 'のお願い', 'への意見', 'に関する問合せ', 'の改善']
const BODY_ENDINGS = [
  'を改善してください。',
  'はいつですか。',
  'が不便です。',
  'に困っています。',
  'を増やしてほしい。',
  'の説明が分かりにくい。',
]
const FILLER = ['先日', '毎朝', '夜間に', '以前から', '最近', '休日に']
const FAMILY = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村']
const GIVEN = ['太郎', '花子', '一郎', '美咲', '健', '陽子']

/** Channel shares roughly as published (email and web lead, then postcards and the call center). */
const CHANNEL_WEIGHTS: Array<[string, number]> = [
  ['email', 0.34],
  ['web', 0.28],
  ['postcard', 0.1],
  ['call_center', 0.12],
  ['letter', 0.08],
  ['counter', 0.06],
  ['fax', 0.02],
]
const KIND_WEIGHTS: Array<[string, number]> = [
  ['opinion', 0.3],
  ['request', 0.3],
  ['inquiry', 0.2],
  ['complaint', 0.15],
  ['proposal', 0.05],
]
const DAY_MS = 86_400_000
const WARD_OFFSET_MS = 9 * 3_600_000

const OPINION_COLUMNS = [
  'id',
  'channel',
  'kind',
  'topic_id',
  'subject',
  'body',
  'received_at',
  'fiscal_year',
  'received_month',
  'handover_at',
  'due_on',
  'status',
  'anonymous',
  'reply_wanted',
  'reply_method',
  'citizen_id',
  'lead_department_id',
  'submitter_name',
  'name_index',
  'submitter_phone',
  'phone_index',
  'submitter_email',
  'email_index',
  'submitter_postal_code',
  'submitter_address',
  'submitter_fax',
  'collected_by_call_center',
  'personal_data_expires_on',
  'personal_data_deleted_at',
  'replied_at',
  'reply_open_days',
  'closed_at',
  'created_by_user_id',
  'legacy_id',
  'created_at',
  'updated_at',
] as const
const ASSIGNMENT_COLUMNS = [
  'opinion_id',
  'department_id',
  'fiscal_year',
  'is_lead',
  'handling_status',
  'forwarded_at',
  'created_at',
  'updated_at',
] as const

type Row = Record<string, string | number | boolean | null>

/**
 * `npm run bench` (second part): 1,000,000 opinions on PostgreSQL, then the
 * latency of the staff list, a two-character search and the statistics
 * page (p50/p95), the export rate and its peak memory. Runs only against a
 * database whose name contains "bench"; on PostgreSQL it creates the
 * database when missing and migrates it. Generated data is kept between
 * runs (--regenerate replaces it).
 */
export default class BenchOpinions extends BaseCommand {
  static commandName = 'bench:opinions'
  static description =
    'Generate opinions and measure list, search, statistics and CSV export (bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Opinions to generate', default: 1_000_000 })
  declare rows: number

  @flags.boolean({ description: 'Replace the generated opinions even if enough exist' })
  declare regenerate: boolean

  @flags.number({ description: 'Iterations per measurement', default: 30 })
  declare iterations: number

  @flags.number({ description: 'Opinions per generation batch (one INSERT each)', default: 5000 })
  declare batch: number

  @flags.boolean({ description: 'Skip the full export (generation and latency only)' })
  declare skipExport: boolean

  async run() {
    const database = await benchDatabase(this)
    if (!database) return
    const { postgres } = database
    if (postgres) await this.#createDatabase(database.name)
    await this.kernel.exec('migration:run', ['--force'])

    const { default: db } = await import('@adonisjs/lucid/services/db')
    const connection = db.connection()
    const rows: Array<[string, string]> = []
    const users = await this.#users()

    const counted = await connection.from('opinions').count('* as total')
    const existing = Number(counted[0].total)
    if (existing >= this.rows && !this.regenerate) {
      rows.push([
        'data',
        `reused ${existing.toLocaleString('en-US')} opinions (--regenerate to rebuild)`,
      ])
    } else {
      await this.#generate(connection, postgres, rows)
    }
    await this.#measure(users, rows)

    const table = this.ui.table()
    table.head(['bench:opinions', `result (${connection.dialect.name})`])
    for (const row of rows) table.row(row)
    table.render()
  }

  /** CREATE DATABASE when missing (through the maintenance database "postgres"). */
  async #createDatabase(name: string) {
    await onMaintenanceDatabase(async (maintenance) => {
      if (await pgDatabaseExists(maintenance, name)) return
      await maintenance.rawQuery(`CREATE DATABASE ${quotedName(name)}`)
      this.logger.info(`created database ${name}`)
    })
  }

  /** 4 部 × 5 課 and the two users the list is measured for: an operator and a 課's staff member. */
  async #users() {
    const { default: Department } = await import('#models/department')
    const { default: User } = await import('#models/user')
    if (!(await Department.findBy('code', 'bench-1'))) {
      for (let bu = 1; bu <= 4; bu++) {
        const parent = await Department.create({
          code: `bench-${bu}`,
          name: `ベンチ第${bu}部`,
          level: 'bu',
          sortOrder: bu * 100,
        })
        for (let ka = 1; ka <= 5; ka++) {
          await Department.create({
            code: `bench-${bu}-${ka}`,
            name: `ベンチ${bu}部${ka}課`,
            level: 'ka',
            parentId: parent.id,
            sortOrder: bu * 100 + ka,
          })
        }
      }
    }
    const staffDepartment = await Department.findByOrFail('code', 'bench-1-1')
    const account = async (
      email: string,
      role: 'operator' | 'department_staff',
      departmentId: number | null
    ) =>
      (await User.findBy('email', email)) ??
      User.create({
        email,
        fullName: 'ベンチ 職員',
        password: 'bench-password-1234',
        role,
        departmentId,
        locale: 'ja',
        isActive: true,
        isDemo: false,
        failedLoginCount: 0,
      })
    return {
      operator: await account('operator@bench.daicho.jp', 'operator', null),
      staff: await account('staff@bench.daicho.jp', 'department_staff', staffDepartment.id),
    }
  }

  async #generate(
    connection: QueryClientContract,
    postgres: boolean,
    rows: Array<[string, string]>
  ) {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: Department } = await import('#models/department')
    const { default: Topic } = await import('#models/topic')
    const { default: BigramSearch } = await import('#services/search/bigram_search')
    const { OPINION_DOC_TYPE } = await import('#services/opinions/opinion_search')
    const { default: fieldEncryption } = await import('#services/field_encryption')
    const { default: WardCalendar, WARD_ZONE } = await import('#services/ward_calendar')
    const { DateTime } = await import('luxon')

    if (postgres) {
      await connection.rawQuery(
        'TRUNCATE opinion_replies, opinion_events, opinion_departments, opinions RESTART IDENTITY CASCADE'
      )
    } else {
      for (const table of ['opinion_replies', 'opinion_events', 'opinion_departments', 'opinions'])
        await connection.from(table).delete()
    }
    await connection.from('search_bigrams').where('doc_type', OPINION_DOC_TYPE).delete()

    const topics = await Topic.all()
    const topicIds = topics.map((topic) => topic.id)
    const benchSections = await Department.query().whereLike('code', 'bench-%-%').orderBy('id')
    const sections = benchSections.map((d) => d.id)

    // Calendar lookups by day number (ms / DAY of the ward-local date): open-day counts, due dates.
    const now = DateTime.now().setZone(WARD_ZONE)
    const today = Math.floor((now.toMillis() + WARD_OFFSET_MS) / DAY_MS)
    const firstFiscalYear = WardCalendar.fiscalYear(now) - 4
    const firstDay = Math.floor(Date.UTC(firstFiscalYear, 3, 1) / DAY_MS)
    const openDays: number[] = []
    const openBefore = new Map<number, number>()
    for (let day = firstDay; day <= today + 120; day++) {
      if (
        WardCalendar.isOpenDay(
          DateTime.fromMillis(day * DAY_MS, { zone: 'utc' }).setZone(WARD_ZONE, {
            keepLocalTime: true,
          })
        )
      )
        openDays.push(day)
      openBefore.set(day, openDays.length)
    }
    const addOpenDays = (day: number, count: number) =>
      openDays[openBefore.get(day)! + count - 1] ?? day + count
    const dateText = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
    /** A ward-local instant as PG timestamptz text or SQLite's local 'yyyy-MM-dd HH:mm:ss'. */
    const instant = (localMs: number) => {
      const iso = new Date(localMs).toISOString()
      return postgres ? `${iso.slice(0, 19)}+09:00` : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
    }

    const next = seededRandom(20_260_401)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const weighted = (list: Array<[string, number]>) => {
      let roll = next()
      for (const [value, weight] of list) {
        roll -= weight
        if (roll < 0) return value
      }
      return list[list.length - 1][0]
    }
    const span = (today - firstDay + 1) * DAY_MS

    let insertSeconds = 0
    let indexSeconds = 0
    let bigrams = 0
    const started = process.hrtime.bigint()
    const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9
    for (let first = 1; first <= this.rows; first += this.batch) {
      const last = Math.min(this.rows, first + this.batch - 1)
      const opinions: Row[] = []
      const assignments: Row[] = []
      for (let id = first; id <= last; id++) {
        // Ids follow receipt time, as in production (受付番号 ascending).
        const localMs = firstDay * DAY_MS + Math.floor(((id - 1 + next()) / this.rows) * span)
        const day = Math.floor(localMs / DAY_MS)
        const local = new Date(localMs)
        const year = local.getUTCFullYear()
        const month = local.getUTCMonth() + 1
        const fiscalYear = month >= 4 ? year : year - 1
        const word = pick(WARD_WORDS)
        const anonymous = next() < 0.15
        const replyWanted = !anonymous && next() < 0.8
        const personal = !anonymous && next() < 0.1
        const lead = sections[Math.floor(next() ** 1.5 * sections.length)]
        const age = today - day
        let status = 'received'
        let repliedAt: string | null = null
        let replyDays: number | null = null
        let closedAt: string | null = null
        let dueOn: string | null = null
        if (replyWanted) {
          dueOn = dateText(addOpenDays(day, 14))
          const stuck = next() < 0.01
          replyDays = 2 + Math.floor(next() * 10 + next() * 10)
          const repliedDay = addOpenDays(day, replyDays)
          if (!stuck && repliedDay < today) {
            repliedAt = instant(repliedDay * DAY_MS + (10 + Math.floor(next() * 7)) * 3_600_000)
            status = next() < 0.7 ? 'closed' : 'replied'
            if (status === 'closed') closedAt = repliedAt
          } else {
            replyDays = null
            status = age < 2 ? 'received' : pick(['forwarded', 'forwarded', 'awaiting_approval'])
          }
        } else if (age > 10) {
          status = 'closed'
          closedAt = instant(localMs + 5 * DAY_MS)
        } else {
          status = age < 2 ? 'received' : 'forwarded'
        }
        const name = personal ? `${pick(FAMILY)} ${pick(GIVEN)}` : null
        const phone = personal
          ? `03-${String(1000 + (id % 9000))}-${String(id % 10_000).padStart(4, '0')}`
          : null
        const email = personal ? `citizen${id}@example.jp` : null
        const received = instant(localMs)
        opinions.push({
          id,
          channel: weighted(CHANNEL_WEIGHTS),
          kind: weighted(KIND_WEIGHTS),
          topic_id: next() < 0.95 ? pick(topicIds) : null,
          subject: `${pick(PLACES)}の${word}${pick(SUBJECT_ENDINGS)}`,
          body: `${next() < 0.5 ? pick(FILLER) : ''}${pick(PLACES)}の${word}${pick(BODY_ENDINGS)}${next() < 0.5 ? `${pick(WARD_WORDS)}も${pick(BODY_ENDINGS)}` : ''}`,
          received_at: received,
          fiscal_year: fiscalYear,
          received_month: `${year}-${String(month).padStart(2, '0')}`,
          handover_at: null,
          due_on: dueOn,
          status,
          anonymous,
          reply_wanted: replyWanted,
          reply_method: replyWanted ? pick(['email', 'letter', 'portal']) : null,
          citizen_id: null,
          lead_department_id: status === 'received' ? null : lead,
          submitter_name: name ? fieldEncryption.encrypt(name) : null,
          name_index: name ? fieldEncryption.nameIndex(name) : null,
          submitter_phone: phone ? fieldEncryption.encrypt(phone) : null,
          phone_index: phone ? fieldEncryption.phoneIndex(phone) : null,
          submitter_email: email ? fieldEncryption.encrypt(email) : null,
          email_index: email ? fieldEncryption.emailIndex(email) : null,
          submitter_postal_code: null,
          submitter_address: null,
          submitter_fax: null,
          collected_by_call_center: false,
          personal_data_expires_on: null,
          personal_data_deleted_at: null,
          replied_at: repliedAt,
          reply_open_days: replyDays,
          closed_at: closedAt,
          created_by_user_id: null,
          legacy_id: null,
          created_at: received,
          updated_at: received,
        })
        if (status !== 'received') {
          const assignment = {
            opinion_id: id,
            fiscal_year: fiscalYear,
            is_lead: true,
            handling_status: repliedAt ? 'handled' : 'pending',
            forwarded_at: received,
            created_at: received,
            updated_at: received,
          }
          assignments.push({ ...assignment, department_id: lead })
          if (next() < 0.25) {
            const other = pick(sections)
            if (other !== lead)
              assignments.push({ ...assignment, department_id: other, is_lead: false })
          }
        }
      }

      await db.transaction(async (trx) => {
        const insertStarted = process.hrtime.bigint()
        await this.#insert(trx, postgres, 'opinions', OPINION_COLUMNS, opinions)
        await this.#insert(trx, postgres, 'opinion_departments', ASSIGNMENT_COLUMNS, assignments)
        insertSeconds += seconds(insertStarted)
        const indexStarted = process.hrtime.bigint()
        const docs = opinions.map((row) => ({
          id: Number(row.id),
          text: [String(row.subject), String(row.body)],
        }))
        for (const doc of docs) bigrams += BigramSearch.bigrams(doc.text).length
        await BigramSearch.indexMany(OPINION_DOC_TYPE, docs, trx)
        indexSeconds += seconds(indexStarted)
      })
      // Fresh statistics while the tables grow: with stale ones (autovacuum off, or not yet run)
      // PostgreSQL plans indexMany's DELETE as a scan of every bigram, and each batch gets slower.
      if (postgres && (last === this.batch || last % 100_000 === 0)) {
        const analyzeStarted = process.hrtime.bigint()
        await connection.rawQuery('ANALYZE opinions, opinion_departments, search_bigrams')
        indexSeconds += seconds(analyzeStarted)
      }
      if (last % 100_000 === 0 || last === this.rows) {
        this.logger.info(
          `${last.toLocaleString('en-US')} opinions (${seconds(started).toFixed(0)} s)`
        )
      }
    }
    if (postgres)
      await connection.rawQuery(`SELECT setval(pg_get_serial_sequence('opinions', 'id'), ?)`, [
        this.rows,
      ])

    const analyzeStarted = process.hrtime.bigint()
    if (postgres) {
      for (const table of ['opinions', 'opinion_departments', 'search_bigrams'])
        await connection.rawQuery(`VACUUM ANALYZE ${table}`)
    } else {
      await connection.rawQuery('ANALYZE')
    }
    const total = seconds(started)
    rows.push([
      'generated',
      `${this.rows.toLocaleString('en-US')} opinions in ${total.toFixed(0)} s (${Math.round(this.rows / total).toLocaleString('en-US')} /s)`,
    ])
    rows.push(['  inserts (opinions + opinion_departments)', `${insertSeconds.toFixed(1)} s`])
    rows.push([
      '  bigram index (BigramSearch.indexMany)',
      `${indexSeconds.toFixed(1)} s, ${Math.round(this.rows / indexSeconds).toLocaleString('en-US')} docs/s, ${(bigrams / this.rows).toFixed(1)} bigrams/doc`,
    ])
    rows.push([
      postgres ? '  VACUUM ANALYZE' : '  ANALYZE',
      `${seconds(analyzeStarted).toFixed(1)} s`,
    ])
  }

  /**
   * One statement per batch with the rows in a single JSON parameter (no
   * bind-parameter limit): json_populate_recordset on PostgreSQL, json_each
   * on SQLite.
   */
  async #insert(
    client: QueryClientContract,
    postgres: boolean,
    table: string,
    columns: readonly string[],
    rows: Row[]
  ) {
    if (rows.length === 0) return
    const list = columns.join(', ')
    if (postgres) {
      await client.rawQuery(
        `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ?)`,
        [JSON.stringify(rows)]
      )
      return
    }
    const values = columns.map((column) => `json_extract(value, '$.${column}')`).join(', ')
    const sqliteRows = rows.map((row) => {
      const copy: Row = {}
      for (const column of columns)
        copy[column] =
          typeof row[column] === 'boolean' ? (row[column] ? 1 : 0) : (row[column] ?? null)
      return copy
    })
    await client.rawQuery(`INSERT INTO ${table} (${list}) SELECT ${values} FROM json_each(?)`, [
      JSON.stringify(sqliteRows),
    ])
  }

  async #measure(users: { operator: any; staff: any }, rows: Array<[string, string]>) {
    const { default: OpinionListQuery } = await import('#services/opinions/opinion_list_query')
    const { default: OpinionStatistics } = await import('#services/opinions/opinion_statistics')
    const { default: OpinionExport } = await import('#services/opinions/opinion_export')
    const { default: WardCalendar } = await import('#services/ward_calendar')
    const { DateTime } = await import('luxon')
    const currentYear = WardCalendar.fiscalYear(DateTime.now())

    /** p50/p95 of `work`; `prepare` runs before each iteration, outside the timing. */
    const latency = async (
      label: string,
      target: number | null,
      work: () => Promise<string>,
      prepare?: () => Promise<unknown>
    ) => {
      await prepare?.()
      let detail = await work() // warm-up
      const timings: number[] = []
      for (let run = 0; run < this.iterations; run++) {
        await prepare?.()
        const started = process.hrtime.bigint()
        detail = await work()
        timings.push(Number(process.hrtime.bigint() - started) / 1e6)
      }
      const sorted = [...timings].sort((a, b) => a - b)
      const verdict =
        target === null
          ? ''
          : percentile(sorted, 95) <= target
            ? ` ✓ (< ${target} ms)`
            : ` ✗ (target ${target} ms)`
      rows.push([
        label,
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms${verdict} — ${detail}`,
      ])
    }
    const page = (user: any, filters: Record<string, unknown>) => async () => {
      const result = await OpinionListQuery.page(user, filters)
      return `${result.rows.length} rows, total ${result.capped ? `${result.total}+` : result.total}`
    }
    const statistics = (user: any, filters: Record<string, unknown>) => async () => {
      const result = await OpinionStatistics.compute(user, filters)
      return `${result.total.toLocaleString('en-US')} opinions, p90 ${result.reply.p90Days} days`
    }

    await latency('list, operator (first page)', 150, page(users.operator, {}))
    await latency('list, department staff (first page)', 150, page(users.staff, {}))
    await latency('list, operator, page 20', 150, page(users.operator, { page: 20 }))
    await latency('search 防災, operator', 150, page(users.operator, { q: '防災' }))
    await latency('search 駐輪, operator', 150, page(users.operator, { q: '駐輪' }))
    await latency('search 防災, department staff', 150, page(users.staff, { q: '防災' }))
    // Statistics keep a snapshot per fiscal year until an opinion of that year changes
    // (OpinionStatisticsSnapshots): measured counted from scratch, and as after a change this year.
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const forgetSnapshots = () => db.from('opinion_statistics_snapshots').delete()
    const changeThisYear = () =>
      db
        .from('opinion_statistics_versions')
        .where('fiscal_year', currentYear)
        .increment('version', 1)
    await latency(
      'statistics, current fiscal year, operator (counted)',
      500,
      statistics(users.operator, { fiscalYear: currentYear }),
      forgetSnapshots
    )
    await latency(
      'statistics, current fiscal year, department staff (counted)',
      500,
      statistics(users.staff, { fiscalYear: currentYear }),
      forgetSnapshots
    )
    await latency(
      'statistics, all years, operator, after a change this year',
      500,
      statistics(users.operator, {}),
      changeThisYear
    )
    await latency(
      'statistics, all years, department staff, after a change this year',
      500,
      statistics(users.staff, {}),
      changeThisYear
    )
    await latency(
      'statistics, all years, operator (every year counted)',
      null,
      statistics(users.operator, {}),
      forgetSnapshots
    )

    if (this.skipExport) return
    for (const encoding of ['utf8', 'cp932'] as const) {
      let bytes = 0
      let chunks = 0
      global.gc?.()
      const before = process.memoryUsage()
      let peakRss = before.rss
      let peakHeap = before.heapUsed
      const sample = () => {
        const usage = process.memoryUsage()
        peakRss = Math.max(peakRss, usage.rss)
        peakHeap = Math.max(peakHeap, usage.heapUsed)
      }
      // Sampled on a timer and every 200 chunks (SQLite's driver is synchronous and may starve timers).
      const sampler = setInterval(sample, 20)
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          bytes += chunk.length
          if (++chunks % 200 === 0) sample()
          callback()
        },
      })
      const progress = { rows: 0, batches: 0, replaced: 0 }
      const started = process.hrtime.bigint()
      await new Promise<void>((resolve, reject) => {
        const stream = OpinionExport.stream(users.operator, {}, { encoding, progress })
        stream.on('error', reject)
        sink.on('finish', resolve)
        stream.pipe(sink)
      })
      clearInterval(sampler)
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9
      const mb = (value: number) => `${(value / 1048576).toFixed(0)} MB`
      rows.push([
        `export, all years, ${encoding}`,
        `${progress.rows.toLocaleString('en-US')} rows in ${elapsed.toFixed(1)} s = ${Math.round(progress.rows / elapsed).toLocaleString('en-US')} rows/s, ${mb(bytes)}; peak RSS ${mb(peakRss)} (before ${mb(before.rss)}), peak heap ${mb(peakHeap)} (before ${mb(before.heapUsed)})`,
      ])
    }
  }
}
