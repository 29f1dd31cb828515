import type { Knex } from 'knex'
import db from '@adonisjs/lucid/services/db'
import type { Client as PgClient } from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import Department from '#models/department'
import Topic from '#models/topic'
import CsvExport from '#services/csv/csv_export'
import { jaText } from '#services/ja_text'
import { OPINION_CHANNELS, OPINION_KINDS, OPINION_STATUSES } from '#enums/opinion'
import type { OpinionQuery } from '#builders/opinion_scope'
import type { ExportOptions, ExportProgress } from '#services/opinions/opinion_export'
import { lineSql } from '#services/opinions/opinion_export_sql'

/** Signature, flags and header extension length: what a binary COPY starts with. */
const BINARY_HEADER_BYTES = 19

/** A tuple's field count (int16) and its one field's length (int32). */
const TUPLE_HEAD_BYTES = 6

/**
 * The UTF-8 opinion CSV on PostgreSQL, made by the database: one `COPY … TO STDOUT` whose
 * single column is each row's whole CSV line, the same bytes as OpinionExport's lines. The
 * lines pass through as the database sent them, never decoded into JavaScript strings and
 * encoded again, which was most of the export's time. The binary format keeps each line's
 * CR LF and quotes as they are (the text format would escape them); only its framing (six
 * bytes a row) is taken off here.
 *
 * Topic, department and label cells are made by `CsvExport.textCell`, as OpinionExport makes
 * them, and joined as VALUES lists. COPY takes no bind parameters, so the filters' values are
 * written into the statement as literals, quoted by the pg driver (`escapeLiteral`).
 */
export default class OpinionCopyExport {
  /**
   * The CSV's data bytes (without the BOM and header line), a chunk at a time as the
   * database sends them. `progress` counts rows and batches of `batchSize` rows, and
   * `onBatch` runs once a batch's rows have been taken, as for OpinionExport's batches.
   */
  static async *bytes(
    query: OpinionQuery,
    options: ExportOptions & { batchSize: number },
    progress: ExportProgress
  ): AsyncGenerator<Buffer> {
    const { batchSize } = options
    const knex = query.client.getReadClient() as Knex
    const connection = (await knex.client.acquireConnection()) as PgClient
    let finished = false
    // Progress is recorded in order, without holding up the COPY. Within a transaction its
    // writes would queue on the connection the COPY holds: they are made once it has ended.
    let endCopy = () => {}
    const copyEnded = new Promise<void>((resolve) => (endCopy = resolve))
    let recorded: Promise<void> = knex.isTransaction ? copyEnded : Promise.resolve()
    const record = (rows: number) => {
      progress.batches++
      recorded = recorded.then(() => options.onBatch?.(rows))
      recorded.catch(() => {})
    }
    try {
      const statement = await OpinionCopyExport.#statement(query, connection)
      const copied = connection.query(copyTo(`COPY (${statement}) TO STDOUT (FORMAT binary)`))
      let sinceBatch = 0
      for await (const lines of binaryRows(copied)) {
        progress.rows += lines.rows
        sinceBatch += lines.rows
        if (lines.bytes.length > 0) yield lines.bytes
        for (; sinceBatch >= batchSize; sinceBatch -= batchSize) record(batchSize)
      }
      if (sinceBatch > 0) record(sinceBatch)
      if (progress.batches === 0) progress.batches = 1
      finished = true
      endCopy()
      await recorded
    } finally {
      // A COPY left part-way leaves its connection mid-protocol: closed, not reused (a
      // transaction's connection is the transaction's to end).
      if (!finished && !knex.isTransaction) await connection.end().catch(() => {})
      await knex.client.releaseConnection(connection)
    }
  }

  /**
   * The SELECT of every line, in id order, with every value written in. Texts (names, labels,
   * the formula characters) go in as bindings first, like the filters' values: knex would
   * take a question mark inside a quoted literal for a placeholder.
   */
  static async #statement(query: OpinionQuery, connection: PgClient) {
    const rowsOf = (pairs: Array<[number | string, string]>) => ({
      sql: pairs.map(() => '(?, ?)').join(', '),
      bindings: pairs.flatMap(([key, text]) => [key, CsvExport.textCell(text)]),
    })
    const named = async (model: typeof Topic | typeof Department) => {
      const records = await model.query().select('id', 'name')
      return rowsOf(records.map(({ id, name }) => [Number(id), name]))
    }
    const labels = (group: string, codes: readonly string[]) =>
      rowsOf(codes.map((code) => [code, jaText(`opinion_statistics.${group}.${code}`)]))
    const joinValues = (
      rows: { sql: string; bindings: Array<number | string> },
      alias: string,
      key: 'code' | 'id',
      column: string
    ) => {
      // No rows (no topics yet): an empty list of the same types.
      const values =
        rows.bindings.length > 0
          ? `VALUES ${rows.sql}`
          : `SELECT NULL::${key === 'id' ? 'bigint' : 'text'}, NULL::text WHERE false`
      return {
        sql: `LEFT JOIN (${values}) AS ${alias}(${key}, cell) ON ${alias}.${key} = opinions.${column}`,
        bindings: rows.bindings,
      }
    }
    const joins = [
      joinValues(labels('channels', OPINION_CHANNELS), 'export_channels', 'code', 'channel'),
      joinValues(labels('kinds', OPINION_KINDS), 'export_kinds', 'code', 'kind'),
      joinValues(labels('statuses', OPINION_STATUSES), 'export_statuses', 'code', 'status'),
      joinValues(await named(Topic), 'export_topics', 'id', 'topic_id'),
      joinValues(await named(Department), 'export_departments', 'id', 'lead_department_id'),
    ]

    const textBindings: string[] = []
    const text = CsvExport.postgresCell((value) => {
      textBindings.push(value)
      return '?'
    })
    const guardedTexts =
      `CROSS JOIN LATERAL (SELECT ${text.guarded("coalesce(opinions.subject, '')")} AS subject,` +
      ` ${text.guarded("coalesce(opinions.body, '')")} AS body) AS export_text`
    const sql = lineSql(true)
    // A code outside the enums (none can be saved) is written as it is.
    const line = [
      sql.head,
      'coalesce(export_channels.cell, opinions.channel)',
      'coalesce(export_kinds.cell, opinions.kind)',
      "coalesce(export_topics.cell, '')",
      text.quoted('export_text.subject'),
      text.quoted('export_text.body'),
      "coalesce(export_departments.cell, '')",
      'coalesce(export_statuses.cell, opinions.status)',
      sql.tail,
    ].join(` || ',' || `)

    const statement = query.clone().joinRaw(guardedTexts, textBindings)
    for (const join of joins) statement.joinRaw(join.sql, join.bindings)
    const { sql: selected, bindings } = statement
      .select(db.raw(`${line} || E'\\r\\n' AS line`))
      .orderBy('opinions.id', 'asc')
      .toSQL()
      .toNative()
    return withLiterals(selected, bindings, (value) => connection.escapeLiteral(value))
  }
}

/**
 * `sql` with its $1, $2 … placeholders replaced by their values as SQL literals (only outside
 * quoted literals). Only numbers, text, booleans, dates and NULL are taken.
 */
export function withLiterals(
  sql: string,
  bindings: readonly unknown[],
  literal: (text: string) => string
): string {
  const valueOf = (position: number) => {
    const value = bindings[position - 1]
    if (position < 1 || position > bindings.length) {
      throw new Error(`No value for placeholder $${position}`)
    }
    if (value === null || value === undefined) return 'NULL'
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value === 'bigint') return String(value)
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
    if (typeof value === 'string') return literal(value)
    if (value instanceof Date) return literal(value.toISOString())
    throw new Error(`A value of type ${typeof value} cannot be written into the COPY statement`)
  }
  // Quoted literals and identifiers are kept as they are; placeholders are outside them.
  return sql
    .split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(/\$(\d+)/g, (_, position: string) => valueOf(Number(position)))
    )
    .join('')
}

/**
 * The rows of a binary COPY of one non-null column, as the bytes of the column's values laid
 * end to end, with the number of rows they hold: one result per chunk the database sent.
 */
export async function* binaryRows(
  chunks: AsyncIterable<Buffer>
): AsyncGenerator<{ bytes: Buffer; rows: number }> {
  let pending: Buffer = Buffer.alloc(0)
  let started = false
  let ended = false
  for await (const chunk of chunks) {
    const data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk
    let at = 0
    if (!started) {
      if (data.length < BINARY_HEADER_BYTES) {
        pending = data
        continue
      }
      at = BINARY_HEADER_BYTES + data.readUInt32BE(BINARY_HEADER_BYTES - 4)
      started = true
    }
    const values: Buffer[] = []
    while (!ended && data.length - at >= 2) {
      const fields = data.readInt16BE(at)
      if (fields === -1) {
        ended = true
        at += 2
        break
      }
      if (data.length - at < TUPLE_HEAD_BYTES) break
      if (fields !== 1) throw new Error(`A COPY row of ${fields} columns, where 1 was expected`)
      const length = data.readInt32BE(at + 2)
      if (length < 0) throw new Error('A NULL line in the COPY of the export')
      if (data.length - at - TUPLE_HEAD_BYTES < length) break
      values.push(data.subarray(at + TUPLE_HEAD_BYTES, at + TUPLE_HEAD_BYTES + length))
      at += TUPLE_HEAD_BYTES + length
    }
    // What is left is part of the next row: copied, so the chunk it came in can go.
    pending = Buffer.from(data.subarray(at))
    if (values.length > 0) {
      yield { bytes: values.length === 1 ? values[0] : Buffer.concat(values), rows: values.length }
    }
  }
  if (!ended) throw new Error('The COPY of the export ended before its last row')
}
