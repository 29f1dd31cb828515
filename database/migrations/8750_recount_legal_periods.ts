import { BaseSchema } from '@adonisjs/lucid/schema'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import IncidentReportability from '#services/oversight/incident_reportability'
import OpinionSchedule from '#services/opinions/opinion_schedule'

/** A timestamp as the driver returns it (PostgreSQL: Date; SQLite: local wall-clock text), as Lucid reads it. */
function moment(value: unknown): DateTime | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return DateTime.fromJSDate(value)
  const text = String(value)
  const parsed = DateTime.fromSQL(text)
  return parsed.isValid ? parsed : DateTime.fromISO(text)
}

/** The personal data the legacy import brings. */
const IMPORTED_PERSONAL_COLUMNS = ['submitter_name', 'submitter_phone', 'submitter_email', 'submitter_postal_code', 'submitter_address']

/** Rows grouped by the date they get, so each date is one update. */
async function updateByDate(db: QueryClientContract, table: string, column: string, values: Map<number, string | null>, extra: Record<string, unknown> = {}) {
  const byDate = new Map<string | null, number[]>()
  for (const [id, date] of values) byDate.set(date, [...(byDate.get(date) ?? []), id])
  for (const [date, ids] of byDate) {
    for (let start = 0; start < ids.length; start += 500) {
      await db.from(table).whereIn('id', ids.slice(start, start + 500)).update({ [column]: date, ...extra })
    }
  }
}

/**
 * Issue 13.3–13.5: dates already stored are recounted by the new rules.
 * - 確報 (incident_reports.final_due_on, next_due_on): the 30th (60th) day
 *   counting the day of discovery as day 1, moved off closed days; it was
 *   discovery + 30 (60).
 * - Call-center personal data not yet deleted: the deletion day is the day
 *   after the one-year retention counted by the Civil Code; it was the
 *   anniversary, a day early.
 * - Call-center opinions of the legacy import that still hold personal data
 *   get the same retention from their own receipt date (they had none); the
 *   nightly run deletes those already past it.
 * down() restores the old counting and takes the imported opinions out of
 * the retention again (data deleted in between stays deleted).
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      const now = DateTime.now()
      const reports = await db
        .from('incident_reports')
        .where('reportable', true)
        .select('id', 'discovered_at', 'improper_purpose_suspected', 'ppc_preliminary_sent_at', 'ppc_final_sent_at')
      const finals = new Map<number, string | null>()
      const nexts = new Map<number, string | null>()
      for (const row of reports) {
        const track = IncidentReportability.track(
          {
            discoveredAt: moment(row.discovered_at)!,
            reportable: true,
            improperPurposeSuspected: Boolean(row.improper_purpose_suspected),
            ppcPreliminarySentAt: moment(row.ppc_preliminary_sent_at),
            ppcFinalSentAt: moment(row.ppc_final_sent_at),
          },
          now
        )!
        finals.set(Number(row.id), track.final.dueOn.toISODate())
        nexts.set(Number(row.id), track.nextDueOn?.toISODate() ?? null)
      }
      await updateByDate(db, 'incident_reports', 'final_due_on', finals)
      await updateByDate(db, 'incident_reports', 'next_due_on', nexts)

      const native = await db
        .from('opinions')
        .where('collected_by_call_center', true)
        .whereNull('personal_data_deleted_at')
        .select('id', 'received_at')
      const imported = await db
        .from('opinions')
        .where('channel', 'call_center')
        .where('collected_by_call_center', false)
        .whereNotNull('legacy_id')
        .whereNull('personal_data_deleted_at')
        .where((query) => {
          for (const column of IMPORTED_PERSONAL_COLUMNS) query.orWhereNotNull(column)
        })
        .select('id', 'received_at')
      const deletion = (rows: Array<{ id: number | string; received_at: unknown }>) =>
        new Map(rows.map((row) => [Number(row.id), OpinionSchedule.personalDataDeletionOn(moment(row.received_at)!).toISODate()]))
      await updateByDate(db, 'opinions', 'personal_data_expires_on', deletion(native))
      await updateByDate(db, 'opinions', 'personal_data_expires_on', deletion(imported), { collected_by_call_center: true })
    })
  }

  async down() {
    this.defer(async (db) => {
      const reports = await db.from('incident_reports').where('reportable', true).select('id', 'discovered_at', 'improper_purpose_suspected')
      const finals = new Map<number, string | null>()
      for (const row of reports) {
        const day = moment(row.discovered_at)!.setZone('Asia/Tokyo').startOf('day')
        finals.set(Number(row.id), day.plus({ days: row.improper_purpose_suspected ? 60 : 30 }).toISODate())
      }
      await updateByDate(db, 'incident_reports', 'final_due_on', finals)

      await db
        .from('opinions')
        .where('channel', 'call_center')
        .where('collected_by_call_center', true)
        .whereNotNull('legacy_id')
        .whereNull('personal_data_deleted_at')
        .update({ collected_by_call_center: false, personal_data_expires_on: null })
      const native = await db
        .from('opinions')
        .where('collected_by_call_center', true)
        .whereNull('personal_data_deleted_at')
        .select('id', 'received_at')
      const anniversaries = new Map(
        native.map((row) => [Number(row.id), moment(row.received_at)!.setZone('Asia/Tokyo').startOf('day').plus({ years: 1 }).toISODate()])
      )
      await updateByDate(db, 'opinions', 'personal_data_expires_on', anniversaries)
    })
  }
}
