import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DateTime } from 'luxon'

/**
 * `npm run bench`: throughput of the foundation services on generated data,
 * printed as figures. Runs only against a database whose name contains
 * "bench" (the npm script selects tmp/bench.sqlite3 or PG database
 * daicho_bench), because it writes thousands of audit entries.
 */
export default class Bench extends BaseCommand {
  static commandName = 'bench'
  static description = 'Measure audit log, field encryption and calendar throughput (bench database only)'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: env } = await import('#start/env')
    const connection = db.connection()
    const target = (connection.dialect.name === 'postgres' ? env.get('PG_DB_NAME') : env.get('SQLITE_FILE')) ?? ''
    if (!target.includes('bench')) {
      this.logger.error(`refusing to benchmark against "${target}": use npm run bench`)
      this.exitCode = 1
      return
    }

    const { default: AuditLogger } = await import('#services/audit_logger')
    const { default: AuditVerifier } = await import('#services/audit_verifier')
    const { default: fieldEncryption } = await import('#services/field_encryption')
    const { default: WardCalendar } = await import('#services/ward_calendar')

    const rows: Array<[string, string]> = []
    const report = (label: string, count: number, unit: string, seconds: number) => {
      rows.push([label, `${Math.round(count / seconds).toLocaleString('en-US')} ${unit}/s (${count} in ${seconds.toFixed(3)} s)`])
    }
    const timed = async (work: () => Promise<unknown>) => {
      const started = process.hrtime.bigint()
      await work()
      return Number(process.hrtime.bigint() - started) / 1e9
    }
    const measure = async (label: string, count: number, unit: string, work: (index: number) => unknown) => {
      const seconds = await timed(async () => {
        for (let index = 0; index < count; index++) await work(index)
      })
      report(label, count, unit, seconds)
    }

    await measure('audit log append (hash chain, own transaction)', 2000, 'entries', (index) =>
      AuditLogger.record({ action: 'bench.entry', subject: { type: 'Bench', id: index }, changedFields: ['name'] })
    )
    const total = Number((await db.from('audit_logs').count('* as total'))[0].total)
    report('audit:verify (whole chain)', total, 'entries', await timed(() => AuditVerifier.verify()))

    const sample = '新宿区西新宿二丁目8番1号 新宿 花子 03-1234-5678'
    const encrypted = fieldEncryption.encrypt(sample)
    await measure('field encrypt (AES-256-GCM)', 50_000, 'ops', () => fieldEncryption.encrypt(sample))
    await measure('field decrypt', 50_000, 'ops', () => fieldEncryption.decrypt(encrypted))
    await measure('email blind index (HMAC-SHA256)', 50_000, 'ops', (index) => fieldEncryption.emailIndex(`user${index}@example.jp`))

    const start = DateTime.fromISO('2026-04-01', { zone: 'Asia/Tokyo' })
    await measure('reply due date: addOpenDays(+14)', 20_000, 'ops', (index) =>
      WardCalendar.addOpenDays(start.plus({ days: index % 365 }), 14)
    )

    const table = this.ui.table()
    table.head(['benchmark', `result (${connection.dialect.name})`])
    for (const row of rows) table.row(row)
    table.render()
  }
}
