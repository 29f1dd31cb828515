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

/** A yes / no that may not have been asked: null stays null (SQLite 0/1, PostgreSQL booleans). */
export const optionalBooleanColumn = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Boolean(value)),
}

/** A list of codes in a text column, comma-separated; an empty list is null. */
export const codeListColumn = {
  prepare: (value: string[] | null | undefined) => (value && value.length ? value.join(',') : null),
  consume: (value: string | null) => (value ? value.split(',') : []),
}

/** A JSON value that may be absent (null stays null, nothing stored for it). */
export const optionalJsonColumn = {
  prepare: (value: unknown) =>
    value === null || value === undefined ? null : JSON.stringify(value),
  consume: (value: string | null) => (value === null ? null : JSON.parse(value)),
}

/**
 * Personal data kept as JSON with a retention period (retentionEncryptedColumn): the JSON
 * text is encrypted as one value; a value whose month key was destroyed reads as null.
 */
export const retentionEncryptedJsonColumn = {
  prepare: (value: unknown, attribute: string, model: object) =>
    value === null || value === undefined
      ? null
      : retentionEncryptedColumn.prepare(JSON.stringify(value), attribute, model),
  consume: (value: string | null) => {
    const plain = retentionEncryptedColumn.consume(value)
    return plain === null ? null : JSON.parse(plain)
  },
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
