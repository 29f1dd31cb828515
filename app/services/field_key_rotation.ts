import db from '@adonisjs/lucid/services/db'
import fieldEncryption, { ENCRYPTED_FIELDS, FieldEncryption } from '#services/field_encryption'
import AuditLogger from '#services/audit_logger'

const BATCH = 500

/**
 * Re-encrypts every encrypted column with the current key and recomputes the
 * blind indexes (which also covers a changed BLIND_INDEX_KEY). Values with a
 * retention period (call-center opinions) stay on, or move onto, the key of
 * their collection month instead (crypto-shredding, CallCenterRetention).
 */
export default class FieldKeyRotation {
  /** Rotates all registered tables; returns the rows rewritten per table. */
  static async rotateAll(): Promise<{ reencrypted: Record<string, number> }> {
    const reencrypted: Record<string, number> = {}
    for (const spec of ENCRYPTED_FIELDS) {
      reencrypted[spec.table] = await FieldKeyRotation.#rotateTable(spec)
    }
    await AuditLogger.system.record({
      action: 'encryption.rotate',
      details: { keyId: fieldEncryption.service.currentKeyId, ...reencrypted },
    })
    return { reencrypted }
  }

  static async #rotateTable(spec: (typeof ENCRYPTED_FIELDS)[number]): Promise<number> {
    const service = fieldEncryption.service
    let lastId = 0
    let rewritten = 0
    while (true) {
      const rows = await db.from(spec.table).where('id', '>', lastId).orderBy('id').limit(BATCH)
      if (rows.length === 0) return rewritten
      await db.transaction(async (trx) => {
        for (const row of rows) {
          lastId = Number(row.id)
          const changes: Record<string, string | null> = {}
          const plain: Record<string, string | null> = {}
          // Rows with a retention period keep their month's key and month-keyed indexes.
          const month =
            spec.retention && row[spec.retention.flag]
              ? (row[spec.retention.monthColumn] as string)
              : null
          for (const column of spec.columns) {
            const stored = row[column] as string | null
            // A value of a shredded month is already deleted: leave it (and its index) alone.
            plain[column] = stored === null ? null : service.decryptOrNull(stored)
            // Call-center values written before per-month keys move onto their month's key.
            const move = month
              ? FieldEncryption.retentionMonthOf(stored ?? '') !== month
              : stored !== null && service.needsRotation(stored)
            const resealed =
              month || plain[column] === null ? null : resealInside(plain[column]!, service)
            if (stored !== null && plain[column] !== null && (move || resealed !== null)) {
              changes[column] = month
                ? service.encryptForMonth(plain[column]!, month)
                : service.encrypt(resealed ?? plain[column]!)
            }
          }
          for (const [indexColumn, { source, kind }] of Object.entries(spec.blindIndexes)) {
            if (row[source] !== null && plain[source] === null) continue
            const value = plain[source]
            const index = value === null ? null : service[`${kind}Index`](value, month)
            if (index !== row[indexColumn]) changes[indexColumn] = index
          }
          if (Object.keys(changes).length > 0) {
            await trx.from(spec.table).where('id', row.id).update(changes)
            rewritten++
          }
        }
      })
    }
  }
}

/**
 * Values sealed inside an encrypted JSON value (a failed mail's payload in failed_jobs holds the
 * mail sealed for the queue) are re-encrypted with the current key as well, or the mail could
 * not be read once the old key is dropped. Returns the new JSON text, or null when nothing
 * inside was sealed with an older key. A sealed value no known key opens is left as it is.
 */
function resealInside(plain: string, service: FieldEncryption): string | null {
  if (!/^[[{]/.test(plain)) return null
  let value: unknown
  try {
    value = JSON.parse(plain)
  } catch {
    return null
  }
  let changed = false
  const reseal = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!/^enc1:[^:]+:[^:]+:[^:]+:[^:]+$/.test(node) || !service.needsRotation(node)) return node
      try {
        const resealed = service.encrypt(service.decrypt(node))
        changed = true
        return resealed
      } catch {
        return node
      }
    }
    if (Array.isArray(node)) return node.map(reseal)
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, reseal(inner)]))
    }
    return node
  }
  const resealed = reseal(value)
  return changed ? JSON.stringify(resealed) : null
}
