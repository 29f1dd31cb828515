import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
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

  async run() {
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
}
