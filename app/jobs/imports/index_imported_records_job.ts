import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import QueuedJob from '#jobs/queued_job'
import type { LegacyImportKind } from '#services/imports/legacy_import'
import { legacyImporter } from '#services/imports/legacy_importers'

export interface IndexImportedRecordsPayload {
  kind: LegacyImportKind
  /** Ids of imported records (at most INDEX_JOB_IDS). */
  ids: number[]
}

/** Ids per job: one job's payload stays small in Redis. */
export const INDEX_JOB_IDS = 2000

/** Records indexed per transaction: each holds the database (SQLite: its only writer) briefly. */
const INDEX_BATCH = 250

/**
 * The search index (bigrams) of records a legacy import created, built after the import's
 * transaction has committed, in short transactions. Indexing 30,000 opinions writes some
 * 1.6 million index rows; inside the import's transaction that held the database for most of
 * its length. Until it has run the records are listed but not yet found by text search; a
 * failure is retried with backoff and then kept in failed_jobs, where 再実行 builds it again
 * (indexing is idempotent).
 */
export default class IndexImportedRecordsJob extends QueuedJob<IndexImportedRecordsPayload> {
  static readonly queueName = 'tasks'

  static get $$filepath() {
    return import.meta.url
  }

  async handle({ kind, ids }: IndexImportedRecordsPayload) {
    const importer = legacyImporter(kind, () => DateTime.now())
    for (let start = 0; start < ids.length; start += INDEX_BATCH) {
      const batch = ids.slice(start, start + INDEX_BATCH)
      await db.transaction((trx) => importer.reindex(batch, trx))
      // A turn of the event loop between batches (SQLite's driver is synchronous).
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}
