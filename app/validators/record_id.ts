import vine from '@vinejs/vine'

/** The largest id an integer column holds. */
export const MAX_RECORD_ID = 2_147_483_647

/**
 * A record id sent by a form (select, checkbox list, hidden row id): a
 * whole number from 1 to MAX_RECORD_ID, refused with a Japanese message
 * before any query. PostgreSQL ended `departmentId=0.5` or `2147483648`
 * in a 500 ("invalid input syntax / out of range for type integer"); found
 * by the fuzz suite (tests/functional/fuzz_forms.spec.ts).
 */
export const recordId = () => vine.number().withoutDecimals().min(1).max(MAX_RECORD_ID)
