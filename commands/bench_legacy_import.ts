import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { benchDatabase, seededRandom } from '#database/bench/bench_support'

const HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const CHANNELS = ['一般投書', 'メール', '区長へのはがき', 'ホームページ', '窓口', 'コールセンター']
const KINDS = ['意見', '要望', '問合せ', '苦情', '提案']
const SUBJECTS = ['防災無線', '駐輪場', '保育園の入園', '粗大ごみ', '住民票の写し', '公園の遊具']
const SENTENCES = [
  '西新宿で防災無線が聞こえにくいので改善してほしい。',
  '駅前の駐輪場が不足しており、歩道に自転車があふれている。',
  '窓口で長く待たされたので、受付の方法を見直してほしい。',
  '公園の遊具が古くなっているので点検してほしい。',
  '粗大ごみの申込み方法がわかりにくい。',
]
const FAMILY = ['新宿', '高田', '四谷', '大久保', '落合', '戸山', '早稲田']
const GIVEN = ['花子', '太郎', '一郎', '次郎', '陽子', '健', '直美']

/**
 * The event loop's longest blocks during a step: the gaps of a 5 ms timer beyond its period
 * (and Node's delay histogram). On a loaded machine a gap also counts time the OS gave other
 * processes, so the figures are upper bounds.
 */
class LoopWatch {
  #histogram = monitorEventLoopDelay({ resolution: 5 })
  #timer: NodeJS.Timeout | null = null
  #last = 0
  #gaps: number[] = []

  start() {
    this.#gaps = []
    this.#histogram.reset()
    this.#histogram.enable()
    this.#last = performance.now()
    this.#timer = setInterval(() => {
      const now = performance.now()
      this.#gaps.push(now - this.#last - 5)
      this.#last = now
    }, 5)
  }

  stop(): string {
    if (this.#timer) clearInterval(this.#timer)
    this.#histogram.disable()
    const longest = Math.round(Math.max(0, ...this.#gaps))
    const over50 = this.#gaps.filter((gap) => gap > 50).length
    const over20 = this.#gaps.filter((gap) => gap > 20).length
    return `longest event-loop block ${longest} ms (histogram max ${Math.round(this.#histogram.max / 1e6)} ms; blocks over 50 ms: ${over50}, over 20 ms: ${over20})`
  }
}

/**
 * The legacy import of a 30,000-row opinion file as the background task runs it: the upload's
 * encryption, the check job (worker-thread parse, checks and staging in batches), then the
 * import (staged rows read, one transaction). Prints the longest event-loop block of each step
 * and how long the import's transaction held the database. Bench databases only; it deletes
 * the BENCH-* opinions of an earlier run first.
 */
export default class BenchLegacyImport extends BaseCommand {
  static commandName = 'bench:legacy-import'
  static description =
    'Legacy opinion import of 30,000 rows as a background task: event-loop blocks and the import transaction (bench database only)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Opinion rows in the file', default: 30_000 })
  declare rows: number

  async run() {
    const database = await benchDatabase(this)
    if (!database) return
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { DateTime } = await import('luxon')
    const { default: app } = await import('@adonisjs/core/services/app')
    const { default: Department } = await import('#models/department')
    const { default: User } = await import('#models/user')
    const { default: BackgroundTask } = await import('#models/background_task')
    const { default: CheckLegacyImportJob } = await import('#jobs/imports/check_legacy_import_job')
    const { default: LegacyUploads } = await import('#services/imports/legacy_uploads')
    const { legacyImporter } = await import('#services/imports/legacy_importers')
    const { default: TaskProgress } = await import('#services/tasks/task_progress')

    await this.#clean(db)
    for (const [code, name] of [
      ['bench-kocho', 'ベンチ広聴課'],
      ['bench-kiki', 'ベンチ危機管理課'],
    ]) {
      if (!(await Department.findBy('code', code)))
        await Department.create({ code, name, level: 'ka', sortOrder: 0 })
    }
    const user =
      (await User.findBy('email', 'import@bench.daicho.jp')) ??
      (await User.create({
        email: 'import@bench.daicho.jp',
        fullName: 'ベンチ 移行担当',
        password: 'bench-password-1234',
        role: 'privacy_officer',
        departmentId: null,
        locale: 'ja',
        isActive: true,
        isDemo: false,
        failedLoginCount: 0,
      }))

    const bytes = Buffer.from(this.#file(this.rows))
    const watch = new LoopWatch()
    // better-sqlite3 opens WAL databases with synchronous NORMAL: commits do not wait for fsync.
    const [pragma] = database.postgres ? [null] : await db.rawQuery('PRAGMA synchronous')
    const synchronous = pragma?.synchronous === 1 ? 'NORMAL' : 'FULL'
    const table: Array<[string, string]> = [
      [
        'database',
        database.postgres
          ? `PostgreSQL (${database.name})`
          : `SQLite (${database.name}, synchronous ${synchronous})`,
      ],
      ['rows', this.rows.toLocaleString('en')],
      ['file size', `${(bytes.length / 1024 / 1024).toFixed(1)} MB`],
    ]
    const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
      watch.start()
      const started = performance.now()
      const result = await work()
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      table.push([label, `${seconds} s, ${watch.stop()}`])
      return result
    }

    const uploads = await app.container.make(LegacyUploads)
    const fileKey = await step('upload stored encrypted', () => uploads.put(bytes))
    const task = await BackgroundTask.create({
      userId: user.id,
      kind: 'legacy_import',
      status: 'queued',
      done: 0,
      params: {
        kind: 'opinions',
        encoding: 'auto',
        mode: 'check',
        fileKey,
        fileName: 'bench.csv',
        checksum: '',
      },
      expiresAt: DateTime.now().plus({ days: 1 }),
    })
    const job = await app.container.make(CheckLegacyImportJob)
    await step('check (parse in worker, check, stage)', () => job.handle({ taskId: task.id }))
    await task.refresh()
    if (task.status !== 'succeeded' || task.result?.problemCount !== 0) {
      this.logger.error(`check did not pass: ${task.status} ${JSON.stringify(task.result)}`)
      this.exitCode = 1
      return
    }
    table.push(['staged', String(task.result.toCreate)])
    const outcome = await step('import (read staged rows, one transaction)', () =>
      legacyImporter('opinions', () => DateTime.now()).apply(
        task,
        task.result as any,
        user,
        new TaskProgress(task)
      )
    )
    table.push(['created', outcome.created.toLocaleString('en')])
    table.push(['import transaction held the database', `${outcome.transactionMs} ms`])
    await task.delete()

    const width = Math.max(...table.map(([label]) => label.length))
    for (const [label, value] of table) this.logger.log(`${label.padEnd(width)}  ${value}`)
  }

  /** Opinions of an earlier run (BENCH-*), with their rows and search index. */
  async #clean(db: (typeof import('@adonisjs/lucid/services/db'))['default']) {
    const ids = db.from('opinions').where('legacy_id', 'like', 'BENCH-%').select('id')
    await db.from('opinion_replies').whereIn('opinion_id', ids).delete()
    await db.from('opinion_departments').whereIn('opinion_id', ids).delete()
    await db.from('opinion_events').whereIn('opinion_id', ids).delete()
    await db.from('search_bigrams').where('doc_type', 'opinion').whereIn('doc_id', ids).delete()
    await db.from('opinions').where('legacy_id', 'like', 'BENCH-%').delete()
  }

  /** A legacy opinion CSV: a third with personal data, some from the call center, half replied. */
  #file(rows: number): string {
    const next = seededRandom(20_261_126)
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
    const lines = [HEADER]
    for (let index = 1; index <= rows; index++) {
      const year = 2012 + Math.floor(next() * 12)
      const month = 1 + Math.floor(next() * 12)
      const day = 1 + Math.floor(next() * 28)
      const channel = pick(CHANNELS)
      const named = next() < 0.35
      const replied = next() < 0.5
      const body = `${pick(SENTENCES)}${pick(SENTENCES)}`
      const cells = [
        `BENCH-${index}`,
        `${year}/${month}/${day}`,
        channel,
        pick(KINDS),
        '',
        `${pick(SUBJECTS)}について`,
        `"${body}"`,
        named ? `${pick(FAMILY)} ${pick(GIVEN)}` : '',
        named ? `03-${1000 + (index % 9000)}-${1000 + ((index * 7) % 9000)}` : '',
        named && next() < 0.5 ? `citizen${index}@example.jp` : '',
        named ? `新宿区西新宿二丁目${1 + (index % 9)}番${1 + (index % 20)}号` : '',
        next() < 0.5 ? 'bench-kocho' : 'bench-kiki',
        replied ? '完了' : '受付',
        replied ? '"ご意見ありがとうございます。担当課で確認し、対応しました。"' : '',
        replied ? `${year}/${month}/${Math.min(28, day + 10)}` : '',
      ]
      lines.push(cells.join(','))
    }
    return `${lines.join('\r\n')}\r\n`
  }
}
