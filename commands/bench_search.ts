import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { benchDatabase, seededRandom, percentile } from '#database/bench/bench_support'

const DOC_TYPE = 'bench_document'

/** Ward words the queries look for (two characters, or two words). */
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
  '手続き',
  '高齢者',
  '介護',
  '子育て',
  '国民健康保険',
  '粗大ごみ',
  '歩道',
  '交差点',
  '信号機',
  '避難所',
  'マイナンバー',
  '区民センター',
  '工事',
  '清掃',
  '落書き',
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
const CONNECTORS = ['の', 'について', 'に関して', 'で', 'と', 'における']
const ENDINGS = [
  'が気になります',
  'を改善してください',
  'はいつですか',
  'が不便です',
  'について教えてください',
  'の対応をお願いします',
  'がとても良かったです',
  'に困っています',
  'を増やしてほしい',
  'の説明が分かりにくい',
]
const FILLER = [
  '先日',
  '毎朝',
  '夜間に',
  '以前から',
  '最近',
  '家族で',
  '近所の方と',
  '休日に',
  'いつも',
  '昨年',
]

/** Two-character queries: in the vocabulary (common) and rarer ones inside longer words. */
const TWO_CHARACTER_QUERIES = [
  '防災',
  '駐輪',
  '保育',
  '道路',
  '騒音',
  '公園',
  '税金',
  '図書',
  'ごみ',
  '歩道',
  '介護',
  '清掃',
  '信号',
  '窓口',
  '工事',
  '落合',
  '夜間',
  '説明',
]
const TWO_WORD_QUERIES = [
  '防災 公園',
  '駐輪場 放置自転車',
  '保育園 子育て',
  'ごみ収集 夜間',
  '道路 工事',
  '騒音 夜間',
  '住民票 窓口',
  '税金 手続き',
  '図書館 休日',
  '街路灯 歩道',
]

/**
 * `node ace bench:search --docs 200000`: indexing throughput and query
 * latency of BigramSearch on generated opinions. Runs only against a
 * database whose name contains "bench" (SQLITE_FILE=bench-search.sqlite3 or
 * PG_DB_NAME=daicho_bench_search): it fills bench_documents and
 * search_bigrams.
 */
export default class BenchSearch extends BaseCommand {
  static commandName = 'bench:search'
  static description =
    'Measure Japanese bigram search: indexing docs/s, query p50/p95 (bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Documents to generate', default: 200_000 })
  declare docs: number

  @flags.number({ description: 'Queries per kind', default: 200 })
  declare queries: number

  @flags.number({ description: 'Documents per indexing batch', default: 2000 })
  declare batch: number

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: BigramSearch } = await import('#services/search/bigram_search')
    const connection = db.connection()
    const database = await benchDatabase(this)
    if (!database) return
    const { postgres } = database

    const rows: Array<[string, string]> = []
    const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

    if (!(await connection.schema.hasTable('bench_documents'))) {
      await connection.schema.createTable('bench_documents', (table) => {
        table.integer('id').primary()
        table.text('body').notNullable()
      })
    }
    await connection.from('bench_documents').delete()
    await connection.from('search_bigrams').where('doc_type', DOC_TYPE).delete()

    const next = seededRandom(20_260_401)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const sentence = () =>
      `${next() < 0.4 ? pick(FILLER) : ''}${pick(PLACES)}${pick(CONNECTORS)}${pick(WARD_WORDS)}${pick(ENDINGS)}。`
    const document = () => Array.from({ length: 2 + Math.floor(next() * 3) }, sentence).join('')

    let bodyChars = 0
    let indexSeconds = 0
    const loadStarted = process.hrtime.bigint()
    for (let first = 1; first <= this.docs; first += this.batch) {
      const docs: Array<{ id: number; body: string }> = []
      for (let id = first; id < Math.min(this.docs + 1, first + this.batch); id++)
        docs.push({ id, body: document() })
      for (const doc of docs) bodyChars += doc.body.length
      await db.transaction(async (trx) => {
        // knex writes a multi-row insert on SQLite as a compound SELECT (at most 500 terms)
        for (let start = 0; start < docs.length; start += 400) {
          await trx.table('bench_documents').multiInsert(docs.slice(start, start + 400))
        }
        const started = process.hrtime.bigint()
        await BigramSearch.indexMany(
          DOC_TYPE,
          docs.map((doc) => ({ id: doc.id, text: doc.body })),
          trx
        )
        indexSeconds += seconds(started)
      })
    }
    const loadSeconds = seconds(loadStarted)
    rows.push([
      'documents',
      `${this.docs.toLocaleString('en-US')} (${(bodyChars / this.docs).toFixed(0)} characters on average)`,
    ])
    rows.push([
      'indexing (BigramSearch.indexMany)',
      `${Math.round(this.docs / indexSeconds).toLocaleString('en-US')} docs/s (${indexSeconds.toFixed(1)} s; with document inserts ${loadSeconds.toFixed(1)} s)`,
    ])

    const analyzeStarted = process.hrtime.bigint()
    if (postgres) {
      await connection.rawQuery('VACUUM ANALYZE search_bigrams')
      await connection.rawQuery('VACUUM ANALYZE bench_documents')
    } else {
      await connection.rawQuery('ANALYZE')
    }
    rows.push([postgres ? 'VACUUM ANALYZE' : 'ANALYZE', `${seconds(analyzeStarted).toFixed(1)} s`])

    const counted = await connection
      .from('search_bigrams')
      .where('doc_type', DOC_TYPE)
      .count('* as total')
    const indexRows = Number(counted[0].total)
    rows.push([
      'index size',
      `${indexRows.toLocaleString('en-US')} rows (${(indexRows / this.docs).toFixed(1)} per document)${await this.#storage(connection, postgres)}`,
    ])

    const measure = async (
      label: string,
      queries: string[],
      work: (query: string) => Promise<number>
    ) => {
      const timings: number[] = []
      let results = 0
      await work(queries[0])
      for (let run = 0; run < this.queries; run++) {
        const started = process.hrtime.bigint()
        results += await work(queries[run % queries.length])
        timings.push(seconds(started) * 1000)
      }
      const sorted = [...timings].sort((a, b) => a - b)
      rows.push([
        label,
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${Math.round(results / this.queries).toLocaleString('en-US')} results on average)`,
      ])
    }

    /** Every candidate id, as a report or an export would read them. */
    const allIds = async (query: string) =>
      (await BigramSearch.candidateIds(DOC_TYPE, query))!.length
    /** The first page of a list screen: newest 20 matches, confirmed on the text. */
    const firstPage = async (query: string) => {
      const page = await connection
        .from('bench_documents')
        .whereIn('id', BigramSearch.subquery(DOC_TYPE, query))
        .orderBy('id', 'desc')
        .limit(20)
      return page.filter((doc) => BigramSearch.matches(doc.body, query)).length
    }
    /** Counting matches (the "n 件" above a list). */
    const count = async (query: string) => {
      const [row] = await connection
        .from('bench_documents')
        .whereIn('id', BigramSearch.subquery(DOC_TYPE, query))
        .count('* as total')
      return Number(row.total)
    }

    await measure('two-character word: all candidate ids', TWO_CHARACTER_QUERIES, allIds)
    await measure('two-character word: first page of 20', TWO_CHARACTER_QUERIES, firstPage)
    await measure('two-character word: count', TWO_CHARACTER_QUERIES, count)
    await measure('two words: all candidate ids', TWO_WORD_QUERIES, allIds)
    await measure('two words: first page of 20', TWO_WORD_QUERIES, firstPage)
    await measure('two words: count', TWO_WORD_QUERIES, count)

    const table = this.ui.table()
    table.head(['bench:search', `result (${connection.dialect.name})`])
    for (const row of rows) table.row(row)
    table.render()
  }

  /** On-disk size of the index where the database can tell. */
  async #storage(connection: any, postgres: boolean): Promise<string> {
    if (postgres) {
      const result = await connection.rawQuery(
        "SELECT pg_size_pretty(pg_table_size('search_bigrams')) AS heap, pg_size_pretty(pg_indexes_size('search_bigrams')) AS indexes"
      )
      return `, table ${result.rows[0].heap} + indexes ${result.rows[0].indexes}`
    }
    try {
      const result = await connection.rawQuery(
        "SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE '%search_bigrams%' GROUP BY name"
      )
      return `, ${result.map((row: { name: string; bytes: number }) => `${row.name} ${(row.bytes / 1048576).toFixed(0)} MB`).join(', ')}`
    } catch {
      return ''
    }
  }
}
