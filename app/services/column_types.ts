import { DateTime } from 'luxon'
import fieldEncryption from '#services/field_encryption'

/**
 * SQLite returns booleans as 0/1, PostgreSQL as true/false.
 */
export const booleanColumn = {
  consume: (value: unknown) => Boolean(value),
}

/**
 * Personal data encrypted at rest (AES-256-GCM); the model sees plain text.
 */
export const encryptedColumn = {
  prepare: (value: string | null | undefined) =>
    value === null || value === undefined ? value : fieldEncryption.encrypt(value),
  consume: (value: string | null) => (value === null ? null : fieldEncryption.decryptOrNull(value)),
}

/**
 * Personal data with a retention period: encrypted with the key of the row's
 * collection month when the model says it has one (`retentionMonth`), else
 * like encryptedColumn. A value whose month key was destroyed reads as null.
 */
export const retentionEncryptedColumn = {
  prepare: (value: string | null | undefined, _attribute: string, model: object) => {
    if (value === null || value === undefined) return value
    const month = (model as { retentionMonth?: string | null }).retentionMonth
    return month ? fieldEncryption.encryptForMonth(value, month) : fieldEncryption.encrypt(value)
  },
  consume: (value: string | null) => (value === null ? null : fieldEncryption.decryptOrNull(value)),
}

/**
 * A JSON value stored in a text column (lists of media, measures, tasks).
 */
export const jsonColumn = {
  prepare: (value: unknown) => JSON.stringify(value ?? []),
  consume: (value: string | null) => (value === null ? [] : JSON.parse(value)),
}

/**
 * "Now" for raw queries: an SQL timestamp with offset, which PostgreSQL
 * parses and Lucid reads back from SQLite (a JS Date would be stored there
 * as a number).
 */
export const sqlNow = () => DateTime.now().toSQL()!
