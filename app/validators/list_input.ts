import vine from '@vinejs/vine'
import type { SchemaTypes } from '@vinejs/vine/types'
import type { VineObject } from '@vinejs/vine'

/*
|--------------------------------------------------------------------------
| List fields of forms
|--------------------------------------------------------------------------
|
| A list field (a checkbox group sent as `name[]`, table rows sent as
| `rows[0][field]`) does not always arrive as an array:
|
| - one ticked checkbox, a JSON client or a hand-made request may send a
|   single value (`media=paper`), or a single row (`members[fullName]=…`);
| - the body parser (qs) turns indexed fields into an object keyed by index
|   once an index passes its `arrayLimit` (or when indices are sparse), and a
|   JSON client may send `{ "0": …, "1": … }`.
|
| The functions below treat all of these as the list they stand for, before
| validation, so a long or odd submission is saved or refused with the
| form's Japanese message (the `array` rule) and never reaches the code as
| something else. Use `listOf` / `rowsOf` / `tableRows` in validators and
| `formList` / `formRows` (Edge globals) to read flashed input back in views.
|
*/

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** An object's values in key order: indexes numerically (as qs writes them), other keys as sent. */
function valuesInKeyOrder(value: Record<string, unknown>): unknown[] {
  const keys = Object.keys(value)
  const indexed = keys.every((key) => /^\d+$/.test(key))
  return (indexed ? keys.sort((a, b) => Number(a) - Number(b)) : keys).map((key) => value[key])
}

/**
 * A list of values (ids, enum values) as a list: an array as it is, an object
 * by its values in key order, a single value as a one-element list. Empty
 * values (undefined, null) stay empty, for `optional()` and `required`.
 */
export function asList(value: unknown): unknown {
  if (value === undefined || value === null || Array.isArray(value)) return value
  if (isPlainObject(value)) return valuesInKeyOrder(value)
  return [value]
}

/**
 * A list of rows as a list: an array as it is, an object of rows (keyed by
 * index or by row key) by its values in key order, a single row (an object
 * none of whose values is an object) as a one-row list. A single plain value
 * is no row and is returned unchanged, for the `array` rule to refuse.
 */
export function asRows(value: unknown): unknown {
  if (value === undefined || value === null || Array.isArray(value)) return value
  if (!isPlainObject(value)) return value
  const values = Object.values(value)
  const oneRow = values.length > 0 && values.every((entry) => !isPlainObject(entry))
  return oneRow && !Object.keys(value).every((key) => /^\d+$/.test(key))
    ? [value]
    : valuesInKeyOrder(value)
}

/** A row none of whose `fields` is filled in (the forms offer blank rows to fill). */
export function isBlankRow(row: unknown, fields: readonly string[]): boolean {
  if (row === null || row === undefined || row === '') return true
  if (!isPlainObject(row)) return false
  return fields.every(
    (field) => row[field] === null || row[field] === undefined || row[field] === ''
  )
}

/**
 * A list field of values: `vine.array(schema)` that also takes a single value
 * or an object (see `asList`). Chain `.distinct()`, `.minLength()`,
 * `.optional()` … as on `vine.array`.
 */
export function listOf<Schema extends SchemaTypes>(schema: Schema) {
  return vine.array(schema).parse(asList)
}

/** A list field of rows: `vine.array(row)` that also takes one row or an object of rows (see `asRows`). */
export function rowsOf<Row extends VineObject<any, any, any, any>>(row: Row) {
  return vine.array(row).parse(asRows)
}

/**
 * The rows of a table form that offers blank rows: like `rowsOf`, but a blank
 * row (none of `fields` filled in) reads as null instead of being validated.
 * Blank rows keep their place, so an error names the row number the user
 * sees; `presentRows` drops them after validation.
 */
export function tableRows<Row extends VineObject<any, any, any, any>>(
  row: Row,
  fields: readonly string[]
) {
  return vine.array(row.nullable()).parse((value) => {
    const rows = asRows(value)
    return Array.isArray(rows)
      ? rows.map((entry) => (isBlankRow(entry, fields) ? null : entry))
      : rows
  })
}

/** The filled rows of a validated `tableRows` field, in form order. */
export function presentRows<Row>(rows: Array<Row | null> | null | undefined): Row[] {
  return (rows ?? []).filter((row): row is Row => row !== null)
}

/** Flashed (or saved) values of a list field, for a view: always an array. */
export function formList(value: unknown): unknown[] {
  const list = asList(value)
  return Array.isArray(list) ? list : []
}

/** Flashed (or saved) rows of a table form, for a view: always an array of objects. */
export function formRows(value: unknown): Record<string, unknown>[] {
  const rows = asRows(value)
  return Array.isArray(rows) ? rows.map((row) => (isPlainObject(row) ? row : {})) : []
}

/** A text area read as one entry per line: trimmed, blank lines dropped. */
export function textLines(maxLength: number) {
  return vine
    .string()
    .trim()
    .maxLength(maxLength)
    .optional()
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    )
}
