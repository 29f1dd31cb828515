import { Writable, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { psqlCopyStream } from '#database/bench/bench_app'
import type { CsvColumn } from '#services/csv/csv_export'

const COLUMNS: CsvColumn[] = [
  { key: 'id', header: '番号' },
  { key: 'name', header: '氏名' },
  { key: 'address', header: '住所' },
  { key: 'note', header: '備考' },
  { key: 'active', header: '有効' },
  { key: 'createdAt', header: '登録日' },
]

/** Heap and buffers together growing by more than this fails the bench. */
const BUDGET_MB = 50

/** The share of PostgreSQL's `COPY … TO STDOUT` rate the opinion export must reach (issue 19). */
const COPY_SHARE = { utf8: 0.3, cp932: 0.15 } as const

interface Measured {
  rows: number
  bytes: number
  seconds: number
  /** CPU time of this process (user + system), in seconds. */
  cpuSeconds: number
  rssGrowth: number
}

/**
 * Streams `stream` into a counting sink: rows (line feeds minus the header), bytes, seconds
 * and the peak growth of RSS over the RSS before it started (sampled on a timer and per chunk).
 */
async function measure(stream: () => Readable): Promise<Measured> {
  global.gc?.()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  let lineFeeds = 0
  let bytes = 0
  let chunks = 0
  const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()))
  const sampler = setInterval(sample, 20)
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  try {
    await pipeline(
      stream(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length
          for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) {
            lineFeeds++
          }
          if (++chunks % 50 === 0) sample()
          callback()
        },
      })
    )
  } finally {
    clearInterval(sampler)
  }
  sample()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const { user, system } = process.cpuUsage(cpu)
  const cpuSeconds = (user + system) / 1e6
  return { rows: lineFeeds - 1, bytes, seconds, cpuSeconds, rssGrowth: peak - baseline }
}

function* generateRows(count: number) {
  const created = Date.parse('2026-04-01T09:30:00+09:00')
  for (let index = 1; index <= count; index++) {
    yield {
      id: index,
      name: `区民 ${index}号`,
      address: `東京都千代田区霞が関${index % 3}丁目${index}番地 第${index}合同庁舎`,
      note: `住民票の写しの交付請求（${index}件目）〜 ${'控'.repeat(index % 40)}`,
      active: index % 2 === 0,
      createdAt: new Date(created + index * 60_000),
    }
  }
}

/**
 * `npm run bench` (bench:csv-export): streams a large CP932 export into a
 * counting writable and prints rows, bytes, time and the peak growth of RSS
 * and of heap + buffers. Fails (exit code 1) when heap + buffers grow by
 * 50 MB or more, or when a line is missing. No database is used.
 */
export default class BenchCsvExport extends BaseCommand {
  static commandName = 'bench:csv-export'
  static description = 'Measure CSV export throughput and peak memory growth on 200,000 rows'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Rows to export', default: 200_000 })
  declare rows: number

  @flags.boolean({
    description:
      "Export every opinion of the configured database as an operator, next to PostgreSQL's COPY of the same columns (read only)",
  })
  declare opinions: boolean

  @flags.number({ description: "With --opinions: rows per database batch (default: the export's)" })
  declare batch?: number

  async run() {
    if (this.opinions) return this.#opinions()
    const { default: CsvExport } = await import('#services/csv/csv_export')
    const total = this.rows
    let lineFeeds = 0
    let bytes = 0
    let chunks = 0
    const heapAndBuffers = () => {
      const { heapUsed, arrayBuffers } = process.memoryUsage()
      return heapUsed + arrayBuffers
    }
    const baseline = { rss: process.memoryUsage.rss(), heap: heapAndBuffers() }
    const peak = { ...baseline }
    const sample = () => {
      peak.rss = Math.max(peak.rss, process.memoryUsage.rss())
      peak.heap = Math.max(peak.heap, heapAndBuffers())
    }

    const counter = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        for (const byte of chunk) if (byte === 0x0a) lineFeeds++
        if (++chunks % 1000 === 0) sample()
        callback()
      },
    })

    const started = process.hrtime.bigint()
    await pipeline(CsvExport.stream(COLUMNS, generateRows(total), { encoding: 'cp932' }), counter)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    sample()

    const mb = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`
    const heapGrowth = peak.heap - baseline.heap
    const table = this.ui.table()
    table.head(['CSV export (CP932, streamed)', 'result'])
    table.row(['rows', total.toLocaleString('en-US')])
    table.row(['bytes written', `${bytes.toLocaleString('en-US')} (${mb(bytes)})`])
    table.row([
      'time',
      `${seconds.toFixed(2)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)`,
    ])
    table.row(['peak RSS growth', mb(peak.rss - baseline.rss)])
    table.row(['peak heap + buffers growth', `${mb(heapGrowth)} (budget ${BUDGET_MB} MB)`])
    table.render()

    if (lineFeeds !== total + 1) {
      this.logger.error(`expected ${total + 1} lines (header plus one per row), got ${lineFeeds}`)
      this.exitCode = 1
    } else if (heapGrowth / 1024 / 1024 >= BUDGET_MB) {
      this.logger.error(`heap + buffers grew by ${mb(heapGrowth)}, over the ${BUDGET_MB} MB budget`)
      this.exitCode = 1
    }
  }

  /**
   * The opinion CSV (UTF-8 and Shift_JIS) against `COPY … TO STDOUT` through psql, interleaved:
   * rows/s, the share of COPY's rate (targets 30 % and 15 %) and the peak RSS growth (under
   * 50 MB). The export runs inside a transaction that is rolled back, so its audit entry is not
   * kept and the database is only read. Fails when a target is missed.
   */
  async #opinions() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: env } = await import('#start/env')
    const { default: User } = await import('#models/user')
    const { default: OpinionExport } = await import('#services/opinions/opinion_export')
    const postgres = db.connection().dialect.name === 'postgres'
    const operator =
      (await User.findBy('email', 'operator@bench.daicho.jp')) ??
      (await User.query().where('role', 'operator').where('is_active', true).firstOrFail())

    const copy = (encoding: 'utf8' | 'cp932') => () =>
      psqlCopyStream(env.get('PG_DB_NAME', ''), encoding, env)

    const mb = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`
    const rate = (measured: Measured) => measured.rows / measured.seconds
    const table = this.ui.table()
    table.head([
      `opinion CSV (${db.connection().dialect.name})`,
      'rows',
      'rows/s',
      'COPY rows/s',
      'share of COPY',
      'CPU per row',
      'peak RSS growth',
    ])
    for (const encoding of ['utf8', 'cp932'] as const) {
      const copied = postgres ? await measure(copy(encoding)) : null
      await db.beginGlobalTransaction()
      let exported: Measured
      try {
        exported = await measure(() =>
          OpinionExport.stream(operator, {}, { encoding, batchSize: this.batch })
        )
      } finally {
        await db.rollbackGlobalTransaction()
      }
      const share = copied ? rate(exported) / rate(copied) : null
      const shareOk = share === null || share >= COPY_SHARE[encoding]
      const memoryOk = exported.rssGrowth < BUDGET_MB * 1024 * 1024
      table.row([
        encoding === 'utf8' ? 'UTF-8 (BOM)' : 'Shift_JIS',
        exported.rows.toLocaleString('en-US'),
        Math.round(rate(exported)).toLocaleString('en-US'),
        copied ? Math.round(rate(copied)).toLocaleString('en-US') : '–',
        share === null
          ? '–'
          : `${(share * 100).toFixed(1)} % ${shareOk ? '✓' : '✗'} (≥ ${COPY_SHARE[encoding] * 100} %)`,
        `${((exported.cpuSeconds / exported.rows) * 1e6).toFixed(1)} µs`,
        `${mb(exported.rssGrowth)} ${memoryOk ? '✓' : '✗'} (< ${BUDGET_MB} MB)`,
      ])
      if (!shareOk || !memoryOk) this.exitCode = 1
    }
    table.render()
  }
}
