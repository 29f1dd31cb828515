import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import logger from '@adonisjs/core/services/logger'
import i18nManager from '@adonisjs/i18n/services/main'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import fieldEncryption from '#services/field_encryption'
import type { StreamedCsv } from '#services/csv/csv_parse_worker'
import Breather from '#services/imports/breather'

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

/** Problems listed in the report (by line); the rest are only counted. */
export const MAX_LISTED_PROBLEMS = 1000

/** Records checked, and staged, per batch (one short transaction each). */
export const CHECK_BATCH_ROWS = 500

/** Staged records per INSERT statement. */
const STAGE_INSERT_ROWS = 100

/** The result of the check, kept with the task; after the import, with what it created. */
export interface ImportReport {
  kind: LegacyImportKind
  encoding: 'utf8' | 'cp932'
  /** Data records read (header excluded). */
  rows: number
  /** Records that would be created (valid, legacy id not yet imported). */
  toCreate: number
  /** Records whose legacy id is already in the database: skipped, so a rerun creates no duplicates. */
  alreadyImported: number
  /** The first MAX_LISTED_PROBLEMS problems, by line. */
  problems: ImportProblem[]
  /** Every problem, listed or not: nothing can be imported unless it is 0. */
  problemCount: number
  /** After the import: records created. */
  created?: number
  /** After the import: records imported by someone else between the check and the import. */
  skippedMeanwhile?: number
}

/** What the import did, and how long its transaction held the database. */
export interface ApplyOutcome {
  created: number
  /** The new records, to index for search after the commit. */
  ids: number[]
  /** Legacy ids imported meanwhile (by another import): skipped. */
  skipped: number
  transactionMs: number
}

/** Where a job reports rows done. */
export interface ImportProgress {
  advance(count: number): Promise<void>
}

/** The task a check stages its records for. */
export interface StagingTask {
  id: number
  userId: number
}

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

export async function loadCodeLookups(client: QueryClientContract): Promise<CodeLookups> {
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
 * Check and import of a legacy CSV, in two steps that never hold the database for long.
 *
 * The check reads the parsed file in batches: every record is checked (every problem
 * recorded by line and column), and while the file has no problem, the valid records whose
 * legacy id is not imported yet are turned into the rows they become (encrypted, indexed,
 * scheduled: the slow part) and written, encrypted, to the staging table legacy_import_rows,
 * one short transaction per batch. A file with problems leaves nothing staged.
 *
 * The import then inserts the staged rows in one short transaction of bulk inserts, with the
 * search index and the audit entry: all or nothing. Records whose legacy id was imported
 * meanwhile are skipped. A subclass names its columns, checks one record, stages it, and
 * inserts staged records.
 */
export abstract class LegacyImport<
  Key extends string,
  Checked extends { legacyId: string },
  Staged,
> {
  abstract readonly kind: LegacyImportKind
  abstract readonly columns: LegacyColumn<Key>[]
  /** The table whose legacy_id column makes a rerun skip what was imported before. */
  abstract readonly table: string

  /** Checks one record; returns null when it has a problem (recorded on the row). */
  protected abstract checkRow(row: LegacyRow<Key>, lookups: CodeLookups): Checked | null
  /** The database rows of a checked record, prepared for a bulk insert. */
  protected abstract stage(record: Checked, userId: number): Promise<Staged>
  /** Inserts staged records (none imported yet) through `trx`; returns the new ids. */
  protected abstract insert(records: Staged[], trx: TransactionClientContract): Promise<number[]>
  /** Builds the search index of imported records (IndexImportedRecordsJob, after the import). */
  abstract reindex(ids: number[], trx: TransactionClientContract): Promise<void>

  /** Legacy ids already in the database, of those given (500 per query). */
  protected async existingLegacyIds(
    client: QueryClientContract,
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

  /**
   * Checks the parsed file into the staging table of `task`, CHECK_BATCH_ROWS records at a
   * time (`progress` advances per batch); returns the report. Nothing stays staged when the
   * file has a problem.
   */
  async checkFile(
    csv: StreamedCsv,
    task: StagingTask,
    progress: ImportProgress
  ): Promise<ImportReport> {
    const problems: ImportProblem[] = csv.problems.map((problem) => ({ ...problem, column: null }))
    const report: ImportReport = {
      kind: this.kind,
      encoding: csv.encoding,
      rows: Math.max(0, csv.count - 1),
      toCreate: 0,
      alreadyImported: 0,
      problems: [],
      problemCount: 0,
    }
    try {
      await this.#checkRecords(csv, task, progress, report, problems)
    } catch (error) {
      await LegacyImport.discard(task.id)
      throw error
    }
    if (problems.length > 0) await LegacyImport.discard(task.id)
    problems.sort((a, b) => a.line - b.line)
    report.problemCount = problems.length
    report.problems = problems.slice(0, MAX_LISTED_PROBLEMS)
    return report
  }

  async #checkRecords(
    csv: StreamedCsv,
    task: StagingTask,
    progress: ImportProgress,
    report: ImportReport,
    problems: ImportProblem[]
  ) {
    const [header] = await csv.next(1)
    if (!header) {
      problems.push({ line: 1, column: null, message: problemText('empty_file') })
      return
    }
    const positions = this.#positions(
      header.cells.map((cell) => cell.trim().replace(/^\uFEFF/, '')),
      problems
    )
    if (problems.some((problem) => problem.line === 1)) return
    if (csv.count < 2) problems.push({ line: 2, column: null, message: problemText('no_data') })

    const lookups = await loadCodeLookups(db.connection())
    const seen = new Map<string, number>()
    const breather = new Breather()
    for (;;) {
      const batch = await csv.next(CHECK_BATCH_ROWS)
      if (batch.length === 0) break
      const checked: Array<{ line: number; record: Checked }> = []
      for (const record of batch) {
        await breather.pause()
        // A record on a line that does not read in the file's encoding is reported as such, not checked garbled.
        if (record.garbled) continue
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
        const result = this.checkRow(row, lookups)
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
        checked.push({ line: record.line, record: result })
      }
      const existing = await this.existingLegacyIds(
        db.connection(),
        checked.map(({ record }) => record.legacyId)
      )
      const fresh = checked.filter(({ record }) => !existing.has(record.legacyId))
      report.alreadyImported += checked.length - fresh.length
      report.toCreate += fresh.length
      // Once the file has a problem nothing can be imported: no more staging.
      if (problems.length === 0 && fresh.length > 0) await this.#stageBatch(task, fresh, breather)
      await progress.advance(batch.length)
    }
  }

  /** Prepares the rows of a batch (the slow part, between breaths), then writes them in one transaction. */
  async #stageBatch(
    task: StagingTask,
    records: Array<{ line: number; record: Checked }>,
    breather: Breather
  ) {
    const rows: Array<Record<string, string | number>> = []
    for (const { line, record } of records) {
      const staged = await this.stage(record, task.userId)
      rows.push({
        task_id: task.id,
        line,
        legacy_id: record.legacyId,
        payload_encrypted: fieldEncryption.encrypt(JSON.stringify(staged)),
      })
      await breather.pause()
    }
    // A few statements per transaction: with SQLite's synchronous driver each statement
    // holds the event loop, and 500 encrypted records at once took up to 120 ms.
    await db.transaction(async (trx) => {
      for (let start = 0; start < rows.length; start += STAGE_INSERT_ROWS) {
        await trx
          .table('legacy_import_rows')
          .multiInsert(rows.slice(start, start + STAGE_INSERT_ROWS))
      }
    })
  }

  /**
   * Imports the rows staged for `task` in one transaction, all or nothing: on any failure
   * nothing is saved and the staged rows stay (the import can be retried). The staged rows
   * are read and decrypted before the transaction, and deleted after it.
   */
  async apply(
    task: { id: number },
    report: ImportReport,
    user: User,
    progress: ImportProgress
  ): Promise<ApplyOutcome> {
    const staged = await this.#readStaged(task.id, progress)
    const started = performance.now()
    const outcome = await db.transaction(async (trx) => {
      const existing = await this.existingLegacyIds(
        trx,
        staged.map((row) => row.legacyId)
      )
      const fresh = staged.filter((row) => !existing.has(row.legacyId)).map((row) => row.payload)
      const ids = await this.insert(fresh, trx)
      const skipped = staged.length - fresh.length
      await AuditLogger.system.record(
        {
          action: `legacy_import.${this.kind}`,
          subject: { type: 'LegacyImport', id: this.kind },
          details: {
            rows: report.rows,
            created: ids.length,
            skipped: report.alreadyImported + skipped,
            encoding: report.encoding,
            task: task.id,
          },
          actor: { type: 'user', id: user.id, label: user.email },
        },
        trx
      )
      return { ids, skipped }
    })
    const transactionMs = Math.round(performance.now() - started)

    // Imported: a failure to delete the staged rows does not undo that (they go with the task).
    await LegacyImport.discard(task.id).catch((error) =>
      logger.error({ err: error, taskId: task.id }, 'staged legacy import rows not deleted')
    )
    return { ...outcome, created: outcome.ids.length, transactionMs }
  }

  /** The staged rows of a task, decrypted, in file order. */
  async #readStaged(taskId: number, progress: ImportProgress) {
    const staged: Array<{ legacyId: string; payload: Staged }> = []
    const breather = new Breather()
    let lastId = 0
    for (;;) {
      const rows = await db
        .from('legacy_import_rows')
        .where('task_id', taskId)
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(CHECK_BATCH_ROWS)
        .select('id', 'legacy_id', 'payload_encrypted')
      if (rows.length === 0) break
      for (const row of rows) {
        staged.push({
          legacyId: row.legacy_id,
          payload: JSON.parse(fieldEncryption.decrypt(row.payload_encrypted)),
        })
        await breather.pause()
      }
      lastId = Number(rows[rows.length - 1].id)
      await progress.advance(rows.length)
    }
    return staged
  }

  /** Rows staged for the task. */
  static async stagedCount(taskId: number): Promise<number> {
    const [row] = await db.from('legacy_import_rows').where('task_id', taskId).count('* as total')
    return Number(row.total)
  }

  /** Deletes the rows staged for a task, a few thousand per statement. */
  static async discard(taskId: number): Promise<void> {
    for (;;) {
      const ids = await db
        .from('legacy_import_rows')
        .where('task_id', taskId)
        .limit(2000)
        .select('id')
      if (ids.length === 0) return
      await db
        .from('legacy_import_rows')
        .whereIn(
          'id',
          ids.map((row) => row.id)
        )
        .delete()
    }
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

  /** SHA-256 of an uploaded file (kept with the task, to tell which file was imported). */
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
