import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { benchDatabase, seededRandom, percentile } from '#database/bench/bench_support'

/** Ward words FAQ entries are about (two characters, or longer words holding them). */
const WORDS = [
  '防災',
  '駐輪場',
  '保育園',
  'ごみ収集',
  '粗大ごみ',
  '住民票',
  '印鑑登録',
  '国民健康保険',
  '児童手当',
  '介護保険',
  '図書館',
  '区民センター',
  '避難所',
  '放置自転車',
  '道路',
  '公園',
  '税金',
  '住民税',
  'マイナンバー',
  '戸籍',
  '子育て',
  '高齢者',
  '予防接種',
  '健康診断',
  '犬の登録',
  '騒音',
  '街路灯',
  '歩道',
  '区役所',
  '窓口',
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
const QUESTION_ENDS = [
  'について教えてください',
  'はどこで手続きできますか',
  'の申込み方法は',
  'はいつですか',
  'の費用はいくらですか',
  'を変更したい',
]
const ANSWER_SENTENCES = [
  '区役所本庁舎の窓口または各特別出張所で手続きできます。',
  '受付時間は平日の午前8時30分から午後5時までです。',
  '本人確認書類をお持ちください。',
  '詳しくは担当課までお問い合わせください。',
  '区のホームページからも申し込めます。',
  '郵送での申請も受け付けています。',
  '手数料は1件300円です。',
  '土曜日・日曜日・祝日は取り扱っていません。',
]
const NOTES = [
  '担当課へ転送（内線',
  '繁忙期は折り返し対応',
  '高齢の方には郵送を案内',
  '例外事例は係長に確認',
]

const TWO_CHARACTER_QUERIES = [
  '防災',
  '駐輪',
  '保育',
  'ごみ',
  '住民',
  '印鑑',
  '児童',
  '介護',
  '図書',
  '避難',
  '道路',
  '公園',
  '税金',
  '戸籍',
  '窓口',
  '騒音',
]
const TWO_WORD_QUERIES = [
  '防災 避難所',
  '駐輪場 西新宿',
  '保育園 申込み',
  '粗大ごみ 費用',
  '住民票 窓口',
  '児童手当 変更',
  '介護保険 手続き',
  '図書館 四谷',
  '税金 郵送',
  '戸籍 本人確認',
]

/**
 * `node ace bench:faq`: generates 20,000 published FAQ entries and prints
 * p50/p95 of the operators' search (FaqSearch.forStaff, as the search page
 * runs it: candidates, exact check, ranking, preloads) for two-character
 * words and two-word queries, plus the citizen search. Runs only against a
 * database whose name contains "bench": it replaces every FAQ entry.
 */
export default class BenchFaq extends BaseCommand {
  static commandName = 'bench:faq'
  static description =
    'Measure the FAQ operator search over 20,000 entries: p50/p95 (bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'FAQ entries to generate', default: 20_000 })
  declare entries: number

  @flags.number({ description: 'Queries per kind', default: 200 })
  declare queries: number

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const connection = db.connection()
    const database = await benchDatabase(this)
    if (!database) return
    const { postgres } = database
    const {
      default: FaqSearch,
      FAQ_PUBLISHED_DOC,
      FAQ_STAFF_DOC,
    } = await import('#services/faq/faq_search')
    const { default: User } = await import('#models/user')
    const { default: Department } = await import('#models/department')
    const { DateTime } = await import('luxon')

    const rows: Array<[string, string]> = []
    const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

    // Fresh FAQ data on every run.
    await connection.from('faq_entries').update({ published_version_id: null })
    await connection.from('faq_versions').delete()
    await connection.from('faq_entries').delete()
    await connection
      .from('search_bigrams')
      .whereIn('doc_type', [FAQ_PUBLISHED_DOC, FAQ_STAFF_DOC])
      .delete()

    const department =
      (await Department.findBy('code', 'bench-faq')) ??
      (await Department.create({ code: 'bench-faq', name: 'ベンチ課', level: 'ka', sortOrder: 0 }))
    const topicRows = await connection.from('topics').select('id')
    const topicIds = topicRows.map((row) => Number(row.id))

    const next = seededRandom(20_260_401)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const now = DateTime.now().toSQL()!

    const loadStarted = process.hrtime.bigint()
    const batch = 1000
    for (let first = 0; first < this.entries; first += batch) {
      const size = Math.min(batch, this.entries - first)
      await db.transaction(async (trx) => {
        // Explicit ids (the tables were emptied): entry n and its version 1 share id n.
        const entries = Array.from({ length: size }, (_, index) => {
          const word = pick(WORDS)
          return {
            id: first + index + 1,
            topic_id: pick(topicIds),
            question: `${pick(PLACES)}の${word}${pick(QUESTION_ENDS)}`,
            answer:
              Array.from({ length: 3 + Math.floor(next() * 4) }, () => pick(ANSWER_SENTENCES)).join(
                ''
              ) + `${word}については${pick(WORDS)}もあわせてご確認ください。`,
            keywords: `${pick(WORDS)} ${pick(WORDS)}`,
            related_links: '[]',
            internal_notes: `${pick(NOTES)}${1000 + Math.floor(next() * 9000)}）`,
            visible_to_call_center: next() < 0.5,
          }
        })
        // knex writes a multi-row insert on SQLite as a compound SELECT (at most 500 terms)
        for (let start = 0; start < entries.length; start += 400) {
          const chunk = entries.slice(start, start + 400)
          await trx.table('faq_entries').multiInsert(
            chunk.map((entry) => ({
              ...entry,
              department_id: department.id,
              status: 'published',
              published_version_id: entry.id,
              published_at: now,
              created_at: now,
              updated_at: now,
            }))
          )
          await trx.table('faq_versions').multiInsert(
            chunk.map((entry) => ({
              ...entry,
              faq_entry_id: entry.id,
              version: 1,
              state: 'approved',
              decided_at: now,
              created_at: now,
            }))
          )
        }
        await FaqSearch.reindexMany(
          entries.map((entry) => entry.id),
          trx
        )
      })
    }
    if (postgres) {
      for (const table of ['faq_entries', 'faq_versions']) {
        await connection.rawQuery(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`
        )
      }
    }
    rows.push([
      'entries',
      `${this.entries.toLocaleString('en-US')} published (generated and indexed in ${seconds(loadStarted).toFixed(1)} s)`,
    ])
    await connection.rawQuery(postgres ? 'VACUUM ANALYZE' : 'ANALYZE')

    const operator = new User()
    operator.merge({ role: 'operator', departmentId: null, contractorId: null, isActive: true })
    const staff = new User()
    staff.merge({
      role: 'department_staff',
      departmentId: department.id,
      contractorId: null,
      isActive: true,
    })

    const measure = async (
      label: string,
      queries: string[],
      work: (query: string) => Promise<number>
    ) => {
      const timings: number[] = []
      let results = 0
      for (const query of queries) await work(query)
      for (let run = 0; run < this.queries; run++) {
        const started = process.hrtime.bigint()
        results += await work(queries[run % queries.length])
        timings.push(seconds(started) * 1000)
      }
      const sorted = [...timings].sort((a, b) => a - b)
      rows.push([
        label,
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${Math.round(results / this.queries)} matches on average)`,
      ])
    }
    const operatorSearch = async (query: string) => {
      const found = await FaqSearch.forStaff(operator, query)
      return found.total
    }
    const staffSearch = async (query: string) => {
      const found = await FaqSearch.forStaff(staff, query)
      return found.total
    }
    const citizenSearch = async (query: string) => {
      const found = await FaqSearch.published(query)
      return found.total
    }

    await measure('operator search, two-character word', TWO_CHARACTER_QUERIES, operatorSearch)
    await measure('operator search, two words', TWO_WORD_QUERIES, operatorSearch)
    await measure('department staff search, two-character word', TWO_CHARACTER_QUERIES, staffSearch)
    await measure('citizen search, two-character word', TWO_CHARACTER_QUERIES, citizenSearch)
    await measure('citizen search, two words', TWO_WORD_QUERIES, citizenSearch)

    const table = this.ui.table()
    table.head(['bench:faq', `result (${connection.dialect.name})`])
    for (const row of rows) table.row(row)
    table.render()
  }
}
