import { createHash } from 'node:crypto'
import i18nManager from '@adonisjs/i18n/services/main'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import CsvParse, { type CsvInputEncoding } from '#services/csv/csv_parse'

/** The two databases of the old FAQ / opinion system that come across. */
export const LEGACY_IMPORT_KINDS = ['faq', 'opinions'] as const
export type LegacyImportKind = (typeof LEGACY_IMPORT_KINDS)[number]

/**
 * A problem message of the import report (faq.import.problems.<key>), in
 * Japanese like the legacy files. Values are inserted as written (a line
 * number stays 1234, not 1,234).
 */
export function problemText(key: string, data: Record<string, string | number> = {}): string {
  const values = Object.fromEntries(
    Object.entries(data).map(([name, value]) => [name, String(value)])
  )
  return i18nManager.locale('ja').t(`faq.import.problems.${key}`, values)
}

/** One problem of the file, by line (1 = the header line) and column header. */
export interface ImportProblem {
  line: number
  column: string | null
  message: string
}

export interface ImportReport {
  kind: LegacyImportKind
  encoding: 'utf8' | 'cp932'
  /** Data records read (header excluded). */
  rows: number
  /** Records that would be created (valid, legacy id not yet imported). */
  toCreate: number
  /** Records whose legacy id is already in the database: skipped, so a rerun creates no duplicates. */
  alreadyImported: number
  problems: ImportProblem[]
  /** SHA-256 of the file: the confirmation must upload the very file that was checked. */
  checksum: string
}

export type ImportOutcome =
  { ok: true; report: ImportReport; created: number } | { ok: false; report: ImportReport }

/** A column of the legacy CSV: accepted header names, first found wins. */
export interface LegacyColumn<Key extends string> {
  key: Key
  headers: string[]
  required: boolean
}

/** One data record with its cells by column key; `header` names the column in messages. */
export class LegacyRow<Key extends string> {
  #own = 0

  constructor(
    readonly line: number,
    private values: Map<Key, string>,
    private headerOf: Map<Key, string>,
    private problems: ImportProblem[]
  ) {}

  /** The trimmed cell, '' when absent. */
  get(key: Key): string {
    return (this.values.get(key) ?? '').trim()
  }

  /** The cell with its line breaks kept (answers, bodies), trimmed at both ends. */
  text(key: Key): string {
    return (this.values.get(key) ?? '').replace(/\r\n?/g, '\n').trim()
  }

  /** No problem recorded on this record (so far). */
  get ok(): boolean {
    return this.#own === 0
  }

  problem(key: Key | null, message: string) {
    this.#own++
    this.problems.push({
      line: this.line,
      column: key ? (this.headerOf.get(key) ?? null) : null,
      message,
    })
  }

  /** A required cell: records a problem when empty. */
  required(key: Key, label: string): string {
    const value = this.text(key)
    if (!value) this.problem(key, problemText('required', { label }))
    return value
  }

  maxLength(key: Key, value: string, max: number, label: string) {
    const length = Array.from(value).length
    if (length > max) this.problem(key, problemText('max_length', { label, max, length }))
  }
}

/** Topic ids by code and by name, department ids by code: what both legacy imports resolve. */
export interface CodeLookups {
  topics: Map<string, number>
  departments: Map<string, number>
}

export async function loadCodeLookups(client: TransactionClientContract): Promise<CodeLookups> {
  const topics = new Map<string, number>()
  for (const topic of await client.from('topics').select('id', 'code', 'name')) {
    topics.set(topic.code, Number(topic.id))
    topics.set(topic.name, Number(topic.id))
  }
  const departments = new Map<string, number>()
  for (const department of await client.from('departments').select('id', 'code')) {
    departments.set(department.code, Number(department.id))
  }
  return { topics, departments }
}

/** The topic of the code or name in `text`; unknown text is a problem on the column (empty: undefined). */
export function topicIdOf<Key extends string>(
  row: LegacyRow<Key>,
  key: Key,
  text: string,
  lookups: CodeLookups
): number | undefined {
  const id = text ? lookups.topics.get(text) : undefined
  if (text && id === undefined) row.problem(key, problemText('unknown_topic', { text }))
  return id
}

/** The department of the code in `code`; an unknown code is a problem on the column (empty: undefined). */
export function departmentIdOf<Key extends string>(
  row: LegacyRow<Key>,
  key: Key,
  code: string,
  lookups: CodeLookups
): number | undefined {
  const id = code ? lookups.departments.get(code) : undefined
  if (code && id === undefined) row.problem(key, problemText('unknown_department', { code }))
  return id
}

/**
 * Dry run and import of a legacy CSV. A subclass names its columns, checks
 * one record into the values it will save (recording every problem), and
 * saves the checked records. The import re-checks inside one transaction
 * and saves nothing when any record has a problem or anything fails.
 * Records whose legacy id is already in the database are skipped.
 */
export abstract class LegacyImport<
  Key extends string,
  Checked extends { legacyId: string },
  Context,
> {
  abstract readonly kind: LegacyImportKind
  abstract readonly columns: LegacyColumn<Key>[]

  /** Lookups the checks need (codes, existing legacy ids), read through `client`. */
  protected abstract context(client: TransactionClientContract): Promise<Context>
  /** Checks one record; returns null when it has a problem (recorded on the row). */
  protected abstract check(row: LegacyRow<Key>, context: Context): Checked | null
  /** The table whose legacy_id column makes a rerun skip what was imported before. */
  abstract readonly table: string
  /** Saves the checked records; returns how many were created. */
  protected abstract save(
    records: Checked[],
    context: Context,
    user: User,
    trx: TransactionClientContract
  ): Promise<number>

  /** Legacy ids already in the database, of those given (500 per query). */
  protected async existingLegacyIds(
    client: TransactionClientContract,
    legacyIds: string[]
  ): Promise<Set<string>> {
    const found = new Set<string>()
    for (let start = 0; start < legacyIds.length; start += 500) {
      const rows = await client
        .from(this.table)
        .whereIn('legacy_id', legacyIds.slice(start, start + 500))
        .select('legacy_id')
      for (const row of rows) found.add(row.legacy_id)
    }
    return found
  }

  /** Reads and checks everything, saves nothing. */
  async dryRun(bytes: Buffer, encoding: CsvInputEncoding): Promise<ImportReport> {
    const trx = await db.transaction()
    try {
      const { report } = await this.#checkAll(bytes, encoding, trx)
      return report
    } finally {
      await trx.rollback()
    }
  }

  /** Imports in one transaction; nothing is saved when any record has a problem. */
  async run(bytes: Buffer, encoding: CsvInputEncoding, user: User): Promise<ImportOutcome> {
    const trx = await db.transaction()
    try {
      const { report, records, context } = await this.#checkAll(bytes, encoding, trx)
      if (report.problems.length > 0) {
        await trx.rollback()
        return { ok: false, report }
      }
      const created = await this.save(records, context, user, trx)
      await AuditLogger.record(
        {
          action: `legacy_import.${this.kind}`,
          subject: { type: 'LegacyImport', id: this.kind },
          details: {
            rows: report.rows,
            created,
            skipped: report.alreadyImported,
            encoding: report.encoding,
          },
        },
        trx
      )
      await trx.commit()
      return { ok: true, report, created }
    } catch (error) {
      await trx.rollback()
      throw error
    }
  }

  async #checkAll(bytes: Buffer, encoding: CsvInputEncoding, trx: TransactionClientContract) {
    const parsed = CsvParse.parse(bytes, encoding)
    const problems: ImportProblem[] = parsed.problems.map((problem) => ({
      ...problem,
      column: null,
    }))
    const report: ImportReport = {
      kind: this.kind,
      encoding: parsed.encoding,
      rows: Math.max(0, parsed.records.length - 1),
      toCreate: 0,
      alreadyImported: 0,
      problems,
      checksum: LegacyImport.checksum(bytes),
    }
    const [header, ...data] = parsed.records
    if (!header) {
      problems.push({ line: 1, column: null, message: problemText('empty_file') })
      return { report, records: [], context: null as Context }
    }
    const positions = this.#positions(
      header.cells.map((cell) => cell.trim().replace(/^\uFEFF/, '')),
      problems
    )
    if (problems.some((problem) => problem.line === 1))
      return { report, records: [], context: null as Context }
    if (data.length === 0) problems.push({ line: 2, column: null, message: problemText('no_data') })

    const context = await this.context(trx)
    const checked: Checked[] = []
    const seen = new Map<string, number>()
    for (const [index, record] of data.entries()) {
      // A record on a line that does not read in the file's encoding is reported as such, not checked garbled.
      const nextLine = data[index + 1]?.line ?? Number.POSITIVE_INFINITY
      if ([...parsed.garbledLines].some((line) => line >= record.line && line < nextLine)) continue
      const values = new Map<Key, string>()
      for (const [key, column] of positions.index) values.set(key, record.cells[column] ?? '')
      const row = new LegacyRow<Key>(record.line, values, positions.header, problems)
      if (record.cells.length !== header.cells.length) {
        row.problem(
          null,
          problemText('column_count', { header: header.cells.length, cells: record.cells.length })
        )
        continue
      }
      const result = this.check(row, context)
      if (!result) continue
      const firstLine = seen.get(result.legacyId)
      if (firstLine !== undefined) {
        row.problem(
          this.columns[0].key,
          problemText('duplicate_id', { id: result.legacyId, line: firstLine })
        )
        continue
      }
      seen.set(result.legacyId, record.line)
      checked.push(result)
    }
    const existing = await this.existingLegacyIds(trx, [...seen.keys()])
    const records = checked.filter((record) => !existing.has(record.legacyId))
    report.alreadyImported = checked.length - records.length
    report.toCreate = records.length
    problems.sort((a, b) => a.line - b.line)
    return { report, records, context }
  }

  /** Where each column is in the header; a missing required column is a problem of line 1. */
  #positions(header: string[], problems: ImportProblem[]) {
    const index = new Map<Key, number>()
    const headerOf = new Map<Key, string>()
    for (const column of this.columns) {
      const name = column.headers.find((candidate) => header.includes(candidate))
      if (name === undefined) {
        if (column.required)
          problems.push({
            line: 1,
            column: column.headers[0],
            message: problemText('missing_header', { header: column.headers[0] }),
          })
        continue
      }
      index.set(column.key, header.indexOf(name))
      headerOf.set(column.key, name)
    }
    return { index, header: headerOf }
  }

  static checksum(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex')
  }
}

/** Yes/no cells of the old systems: 1/0, はい/いいえ, ○/×, true/false. */
export function parseFlag(value: string): boolean | null {
  const normalized = value.normalize('NFKC').trim().toLowerCase()
  if (['', '0', 'false', 'no', 'いいえ', '×', 'x', '否', '無'].includes(normalized)) return false
  if (['1', 'true', 'yes', 'はい', '○', '〇', 'o', '可', '有'].includes(normalized)) return true
  return null
}
