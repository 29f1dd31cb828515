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
 * Deletes the personal data that the call center collected, one year after
 * collection (seed 001). The opinion's text, dates and departments stay for
 * statistics. The audit log records how many and which opinions, never the
 * data; each opinion's history says that its personal data was deleted.
 */
export default class CallCenterRetention {
  static async purge(today: DateTime = DateTime.now().setZone(WARD_ZONE)): Promise<{ count: number; ids: number[] }> {
    const purged: number[] = []
    for (;;) {
      const rows: Array<{ id: number | string }> = await db
        .from('opinions')
        .select('id')
        .where('collected_by_call_center', true)
        .whereNull('personal_data_deleted_at')
        .where('personal_data_expires_on', '<=', today.toISODate()!)
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
