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
  consume: (value: string | null) => (value === null ? null : fieldEncryption.decrypt(value)),
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
