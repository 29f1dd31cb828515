import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AuditLogger from '#services/audit_logger'
import { ENCRYPTED_FIELDS } from '#services/field_encryption'
import { WARD_ZONE } from '#services/ward_calendar'
import { sqlNow } from '#services/column_types'

/** Opinions purged per transaction. */
const BATCH = 500

/** Every encrypted column of an opinion and its blind indexes, from the encryption registry. */
const OPINION_ENCRYPTION = ENCRYPTED_FIELDS.find((spec) => spec.table === 'opinions')!
const PERSONAL_COLUMNS = Object.fromEntries(
  [...OPINION_ENCRYPTION.columns, ...Object.keys(OPINION_ENCRYPTION.blindIndexes)].map((column) => [column, null])
)

/**
 * Deletes the personal data that the call center collected once its one-year
 * retention has ended (seed 001): an opinion's deletion day
 * (personal_data_expires_on, OpinionSchedule.personalDataDeletionOn: the day
 * after the year counted by the Civil Code) is on or before today, the
 * ward's date. Data of 2025-11-26 is kept all of 2026-11-26 and deleted by
 * the run of 2026-11-27. Opinions of the legacy import qualify the same way
 * (their deletion day is computed from their own receipt date). The
 * opinion's text, dates and departments stay for statistics. The audit log records how many and which opinions, never the
 * data; each opinion's history says that its personal data was deleted.
 */
export default class CallCenterRetention {
  static async purge(today: DateTime = DateTime.now()): Promise<{ count: number; ids: number[] }> {
    const wardToday = today.setZone(WARD_ZONE).toISODate()!
    const purged: number[] = []
    for (;;) {
      const rows: Array<{ id: number | string }> = await db
        .from('opinions')
        .select('id')
        .where('collected_by_call_center', true)
        .whereNull('personal_data_deleted_at')
        .where('personal_data_expires_on', '<=', wardToday)
        .orderBy('id')
        .limit(BATCH)
      if (rows.length === 0) break
      const ids = rows.map((row) => Number(row.id))
      await db.transaction(async (trx) => {
        const now = sqlNow()
        await trx.from('opinions').whereIn('id', ids).update({ ...PERSONAL_COLUMNS, personal_data_deleted_at: now, updated_at: now })
        await trx.table('opinion_events').multiInsert(
          ids.map((id) => ({ opinion_id: id, kind: 'personal_data_deleted', occurred_at: now, created_at: now }))
        )
        await AuditLogger.record(
          {
            action: 'opinion.purge_call_center_personal_data',
            subject: null,
            changedFields: Object.keys(PERSONAL_COLUMNS),
            details: { count: ids.length, ids },
          },
          trx
        )
      })
      purged.push(...ids)
    }
    return { count: purged.length, ids: purged }
  }
}
