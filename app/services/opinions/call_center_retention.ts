import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { Disk } from '@adonisjs/drive'
import AuditLogger from '#services/audit_logger'
import fieldEncryption, { ENCRYPTED_FIELDS } from '#services/field_encryption'
import { WARD_ZONE } from '#services/ward_calendar'
import { sqlNow } from '#services/column_types'

/** Opinions purged per transaction. */
const BATCH = 500

/** Every encrypted column of an opinion and its blind indexes, from the encryption registry. */
const OPINION_ENCRYPTION = ENCRYPTED_FIELDS.find((spec) => spec.table === 'opinions')!
const PERSONAL_COLUMNS = Object.fromEntries(
  [...OPINION_ENCRYPTION.columns, ...Object.keys(OPINION_ENCRYPTION.blindIndexes)].map((column) => [
    column,
    null,
  ])
)

/** Other columns sealed with an opinion's retention key: the contact in its corrections, its attachments' name and data key. */
const SEALED_WITH_OPINION = [
  { table: 'opinion_events', columns: ['personal_changes'] },
  { table: 'opinion_attachments', columns: ['original_name', 'file_key'] },
]

/**
 * Deletes the personal data that the call center collected once its one-year
 * retention has ended (seed 001): an opinion's deletion day
 * (personal_data_expires_on, OpinionSchedule.personalDataDeletionOn: the day
 * after the year counted by the Civil Code) is on or before today, the
 * ward's date. Data of 2025-11-26 is kept all of 2026-11-26 and deleted by
 * the run of 2026-11-27. Opinions of the legacy import qualify the same way
 * (their deletion day is computed from their own receipt date). The contact
 * before and after each correction goes too, and the attachments (letters,
 * FAX images, photos: rows and files). The
 * opinion's text, dates and departments stay for statistics. The audit log records how many and which opinions, never the
 * data; each opinion's history says that its personal data was deleted.
 *
 * Deleting for real (crypto-shredding): the data is encrypted with the key of
 * its collection month (RetentionKeyStore, RETENTION_KEYS_DIR). After the
 * rows are emptied, the key of every month that is over a year old and no
 * longer has a value under it is destroyed, so no copy anywhere (old database
 * pages, the WAL, PostgreSQL's dead rows, backups) can be decrypted or
 * matched against its blind indexes. On SQLite, secure_delete
 * (config/database.ts) zeroes the freed bytes and the WAL is checkpointed and
 * truncated after the purge.
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
      const files: string[] = []
      await db.transaction(async (trx) => {
        const now = sqlNow()
        await trx
          .from('opinions')
          .whereIn('id', ids)
          .update({ ...PERSONAL_COLUMNS, personal_data_deleted_at: now, updated_at: now })
        await trx
          .from('opinion_events')
          .whereIn('opinion_id', ids)
          .whereNotNull('personal_changes')
          .update({ personal_changes: null })
        const attachments = await trx
          .from('opinion_attachments')
          .whereIn('opinion_id', ids)
          .select('storage_key')
        files.push(...attachments.map((attachment) => String(attachment.storage_key)))
        await trx.from('opinion_attachments').whereIn('opinion_id', ids).delete()
        await trx.table('opinion_events').multiInsert(
          ids.map((id) => ({
            opinion_id: id,
            kind: 'personal_data_deleted',
            occurred_at: now,
            created_at: now,
          }))
        )
        await AuditLogger.system.record(
          {
            action: 'opinion.purge_call_center_personal_data',
            subject: null,
            changedFields: Object.keys(PERSONAL_COLUMNS),
            details: {
              count: ids.length,
              ids,
              ...(files.length ? { attachments: files.length } : {}),
            },
          },
          trx
        )
      })
      await CallCenterRetention.#deleteFiles(files)
      purged.push(...ids)
    }
    await CallCenterRetention.shredKeys(today)
    await CallCenterRetention.#checkpoint()
    return { count: purged.length, ids: purged }
  }

  /**
   * Destroys the retention key of each month that ended more than a year ago
   * (ward date) and has no encrypted value left under it. Recent months are
   * never touched, even empty: an intake being saved may be using the key.
   */
  static async shredKeys(today: DateTime = DateTime.now()): Promise<string[]> {
    const keys = fieldEncryption.service.retentionKeys
    const before = today.setZone(WARD_ZONE).minus({ months: 12 }).toFormat('yyyy-MM')
    const shredded: string[] = []
    for (const month of keys.months()) {
      if (month >= before) continue
      const prefix = `enc1:ret-${month}:%`
      if (await CallCenterRetention.#sealedUnder(prefix)) continue
      if (keys.destroy(month)) shredded.push(month)
    }
    if (shredded.length > 0) {
      await AuditLogger.system.record({
        action: 'opinion.retention_keys_destroyed',
        subject: null,
        details: { months: shredded },
      })
    }
    return shredded
  }

  /** Whether any value is still sealed with a retention key (`prefix`: its stored form). */
  static async #sealedUnder(prefix: string): Promise<boolean> {
    for (const { table, columns } of [
      { table: 'opinions', columns: OPINION_ENCRYPTION.columns },
      ...SEALED_WITH_OPINION,
    ]) {
      const remaining = await db
        .from(table)
        .where((query) => {
          for (const column of columns) query.orWhere(column, 'like', prefix)
        })
        .first()
      if (remaining) return true
    }
    return false
  }

  /** The purged attachments' files (the rows are gone: a file left behind is only logged). */
  static async #deleteFiles(keys: string[]) {
    if (keys.length === 0) return
    const disk = await app.container.make(Disk)
    for (const key of keys) {
      try {
        await disk.delete(key)
      } catch (error) {
        logger.error({ err: error, key }, 'could not delete a purged opinion attachment')
      }
    }
  }

  /** SQLite: moves the WAL into the database file (freed bytes zeroed by secure_delete) and empties it. */
  static async #checkpoint() {
    const client = db.connection()
    if (client.dialect.name !== 'better-sqlite3' && client.dialect.name !== 'sqlite3') return
    // Inside an open transaction (tests) there is nothing committed to move yet.
    if (client.isTransaction) return
    try {
      await db.rawQuery('PRAGMA wal_checkpoint(TRUNCATE)')
    } catch (error) {
      logger.warn({ err: error }, 'WAL checkpoint after the retention purge failed')
    }
  }
}
