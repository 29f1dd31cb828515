import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DateTime } from 'luxon'
import { benchDatabase, percentile } from '#database/bench/bench_support'

/**
 * `npm run bench`: throughput of the foundation services on generated data,
 * printed as figures. Runs only against a database whose name contains
 * "bench" (the npm script selects tmp/bench.sqlite3 or PG database
 * daicho_bench), because it writes thousands of audit entries.
 */
export default class Bench extends BaseCommand {
  static commandName = 'bench'
  static description =
    'Measure audit log, field encryption and calendar throughput (bench database only)'
  static options: CommandOptions = { startApp: true }

  async run() {
    if (!(await benchDatabase(this, 'use npm run bench'))) return
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const connection = db.connection()

    const { default: AuditLogger } = await import('#services/audit_logger')
    const { default: AuditVerifier } = await import('#services/audit_verifier')
    const { default: fieldEncryption } = await import('#services/field_encryption')
    const { default: WardCalendar } = await import('#services/ward_calendar')

    const rows: Array<[string, string]> = []
    const report = (label: string, count: number, unit: string, seconds: number) => {
      rows.push([
        label,
        `${Math.round(count / seconds).toLocaleString('en-US')} ${unit}/s (${count} in ${seconds.toFixed(3)} s)`,
      ])
    }
    const timed = async (work: () => Promise<unknown>) => {
      const started = process.hrtime.bigint()
      await work()
      return Number(process.hrtime.bigint() - started) / 1e9
    }
    const measure = async (
      label: string,
      count: number,
      unit: string,
      work: (index: number) => unknown
    ) => {
      const seconds = await timed(async () => {
        for (let index = 0; index < count; index++) await work(index)
      })
      report(label, count, unit, seconds)
    }

    await measure('audit log append (hash chain, own transaction)', 2000, 'entries', (index) =>
      AuditLogger.system.record({
        action: 'bench.entry',
        subject: { type: 'Bench', id: index },
        changedFields: ['name'],
      })
    )
    const counted = await db.from('audit_logs').count('* as total')
    const total = Number(counted[0].total)
    report(
      'audit:verify (whole chain)',
      total,
      'entries',
      await timed(() => AuditVerifier.verify())
    )

    const sample = '新宿区西新宿二丁目8番1号 新宿 花子 03-1234-5678'
    const encrypted = fieldEncryption.encrypt(sample)
    await measure('field encrypt (AES-256-GCM)', 50_000, 'ops', () =>
      fieldEncryption.encrypt(sample)
    )
    await measure('field decrypt', 50_000, 'ops', () => fieldEncryption.decrypt(encrypted))
    await measure('email blind index (HMAC-SHA256)', 50_000, 'ops', (index) =>
      fieldEncryption.emailIndex(`user${index}@example.jp`)
    )

    const start = DateTime.fromISO('2026-04-01', { zone: 'Asia/Tokyo' })
    await measure('reply due date: addOpenDays(+14)', 20_000, 'ops', (index) =>
      WardCalendar.addOpenDays(start.plus({ days: index % 365 }), 14)
    )

    await this.#councilDocument(rows)

    const table = this.ui.table()
    table.head(['benchmark', `result (${connection.dialect.name})`])
    for (const row of rows) table.row(row)
    table.render()
  }

  /** Council document PDF: render time of a typical item, and how much it stalls the event loop. */
  async #councilDocument(rows: Array<[string, string]>) {
    const { monitorEventLoopDelay } = await import('node:perf_hooks')
    const { default: DemoData } = await import('#database/demo/demo_data')
    const { default: PersonalDataSystem } = await import('#models/personal_data_system')
    const { default: CouncilItem } = await import('#models/council_item')
    const { default: CouncilItemAnnex } = await import('#models/council_item_annex')
    const { default: CouncilDocumentBuilder } =
      await import('#services/council/council_document_builder')
    const { default: CouncilDocument } = await import('#services/council/council_document_pdf')
    const { default: PdfRenderer } = await import('#services/pdf_renderer')

    await DemoData.load({ inProduction: false })
    const system = await PersonalDataSystem.query()
      .where('name', 'コールセンター及び区民意見システム')
      .preload('contracts')
      .firstOrFail()
    const item = await CouncilItem.create({
      departmentId: system.departmentId,
      subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等について',
      basis: [
        {
          kind: 'consultation',
          articles: ['第16条第1項本文（電子計算機による個人情報の処理開発、変更）'],
        },
      ],
      status: 'draft',
    })
    await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, sortOrder: 0 })
    await CouncilItemAnnex.create({
      itemId: item.id,
      systemId: system.id,
      contractId: system.contracts[0].id,
      sortOrder: 1,
    })

    const timings: number[] = []
    let bytes = 0
    for (let run = 0; run < 20; run++) {
      const started = process.hrtime.bigint()
      const pdf = await PdfRenderer.render(
        CouncilDocument.definition(await CouncilDocumentBuilder.build(item.id))
      )
      timings.push(Number(process.hrtime.bigint() - started) / 1e6)
      bytes = pdf.length
    }
    const sorted = [...timings].sort((a, b) => a - b)
    rows.push([
      'council PDF, typical item (8 pages)',
      `first ${timings[0].toFixed(0)} ms, p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`,
    ])

    const delay = monitorEventLoopDelay({ resolution: 5 })
    delay.enable()
    const data = await CouncilDocumentBuilder.build(item.id)
    await Promise.all(
      Array.from({ length: 10 }, () => PdfRenderer.render(CouncilDocument.definition(data)))
    )
    delay.disable()
    rows.push([
      'event-loop delay while rendering 10 PDFs',
      `p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms (renders run in a worker thread)`,
    ])
    await PdfRenderer.shutdown()
  }
}
