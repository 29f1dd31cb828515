import db from '@adonisjs/lucid/services/db'
import AuditLogger, { GENESIS_HASH } from '#services/audit_logger'
import { sqlNow } from '#services/column_types'

export interface AuditProblem {
  entryId: number | null
  problem: 'changed' | 'broken_link' | 'truncated'
  message: string
}

export interface AuditVerification {
  ok: boolean
  checked: number
  headId: number | null
  problems: AuditProblem[]
}

const BATCH = 2000

/**
 * Walks the whole audit chain: recomputes every hash, checks that each entry
 * links to the one before it, and that previously verified heads still exist.
 */
export default class AuditVerifier {
  /** Verifies the chain; with `checkpoint` records the verified head. */
  static async verify({ checkpoint = false } = {}): Promise<AuditVerification> {
    const problems: AuditProblem[] = []
    let previousHash = GENESIS_HASH
    let lastId = 0
    let checked = 0
    const checkpoints = await db.from('audit_checkpoints').orderBy('id')
    const checkpointIds = new Set(checkpoints.map((point) => Number(point.last_entry_id)))
    const hashesById = new Map<number, string>()

    while (true) {
      const rows = await db.from('audit_logs').where('id', '>', lastId).orderBy('id').limit(BATCH)
      if (rows.length === 0) break
      for (const row of rows) {
        const id = Number(row.id)
        if (row.prev_hash !== previousHash) {
          problems.push({
            entryId: id,
            problem: 'broken_link',
            message: `entry ${id} does not follow the entry before it (an entry was deleted or inserted)`,
          })
        }
        if (AuditLogger.hashOf(row.prev_hash, AuditLogger.fieldsOfRow(row)) !== row.hash) {
          problems.push({ entryId: id, problem: 'changed', message: `entry ${id} was changed after it was written` })
        }
        previousHash = row.hash
        if (checkpointIds.has(id)) hashesById.set(id, row.hash)
        lastId = id
        checked++
      }
    }

    for (const point of checkpoints) {
      const entryId = Number(point.last_entry_id)
      if (hashesById.get(entryId) !== point.last_hash) {
        problems.push({
          entryId,
          problem: 'truncated',
          message: `verified entry ${entryId} (checkpoint of ${point.created_at}) is missing or different`,
        })
      }
    }

    const result = { ok: problems.length === 0, checked, headId: lastId || null, problems }
    if (checkpoint && result.ok && lastId) {
      await db.table('audit_checkpoints').insert({
        last_entry_id: lastId,
        last_hash: previousHash,
        entry_count: checked,
        created_at: sqlNow(),
      })
    }
    return result
  }
}
