import { Readable } from 'node:stream'
import db from '@adonisjs/lucid/services/db'
import type { RawQuery } from '@adonisjs/lucid/types/querybuilder'
import type { DateTime } from 'luxon'
import Department from '#models/department'
import Topic from '#models/topic'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import CsvExport, { type CsvColumn, type CsvEncoding, type CsvRow } from '#services/csv/csv_export'
import OpinionListQuery from '#services/opinions/opinion_list_query'
import OpinionCopyExport from '#services/opinions/opinion_copy_export'
import { lineSql } from '#services/opinions/opinion_export_sql'
import type { StatisticsFilters } from '#services/opinions/opinion_statistics'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import { jaText } from '#services/ja_text'
import { WARD_ZONE } from '#services/ward_calendar'

/**
 * Rows per keyset batch (WHERE id > last ORDER BY id LIMIT n). Larger batches were no faster
 * and let RSS grow by 50–100 MB over a million rows (each batch lives long enough to be
 * promoted to V8's old space); 2,000 keep it near 15 MB.
 */
export const EXPORT_BATCH_SIZE = 2000

/** What stands in for a character CP932 cannot hold (〓 ゲタ, the Japanese printing convention). */
export const GETA = '\u3013'

/*
 * The columns of the opinion CSV. Deliberately NO personal data of the
 * submitter: name, phone, email, postal code, address and FAX are
 * encrypted personal data and never leave the system in an export (nor is
 * citizen_id, which leads to them). The body is the citizen's own text and
 * stays, as in published 区民の声 reports.
 */
const COLUMNS: Array<CsvColumn & { label: string }> = [
  { key: 'referenceNo', label: 'reference_no', header: '' },
  { key: 'receivedOn', label: 'received_on', header: '' },
  { key: 'fiscalYear', label: 'fiscal_year', header: '' },
  { key: 'channel', label: 'channel', header: '' },
  { key: 'kind', label: 'kind', header: '' },
  { key: 'topic', label: 'topic', header: '' },
  { key: 'subject', label: 'subject', header: '' },
  { key: 'body', label: 'body', header: '' },
  { key: 'leadDepartment', label: 'lead_department', header: '' },
  { key: 'status', label: 'status', header: '' },
  { key: 'dueOn', label: 'due_on', header: '' },
  { key: 'repliedOn', label: 'replied_on', header: '' },
  { key: 'replyOpenDays', label: 'reply_open_days', header: '' },
]

/** The columns read from the database: everything but the submitter's data. */
const SELECTED = [
  'opinions.id',
  'opinions.received_at',
  'opinions.fiscal_year',
  'opinions.channel',
  'opinions.kind',
  'opinions.topic_id',
  'opinions.subject',
  'opinions.body',
  'opinions.lead_department_id',
  'opinions.status',
  'opinions.due_on',
  'opinions.replied_at',
  'opinions.reply_open_days',
]

export interface ExportProgress {
  rows: number
  batches: number
  /** Characters replaced by 〓 (CP932 only). */
  replaced: number
}

export interface ExportOptions {
  encoding: CsvEncoding
  batchSize?: number
  progress?: ExportProgress
  /** Called after the rows of each batch have been taken (the export job's progress bar). */
  onBatch?: (rows: number) => Promise<void> | void
  /** The background task that wrote the export (in its audit entry). */
  taskId?: number
}

/** One row as read from the database (SELECTED). */
type OpinionRow = Record<string, any>

/**
 * What `lines` reads of a row: the id (keyset), subject and body, and the other cells joined by
 * the database in the order of the CSV, as they never need quotes: `line_head` 受付番号,受付日,
 * 年度; `line_coded` the channel, kind and topic codes (their cells are made once per
 * combination); `line_handled` the lead department's id and the status; `line_tail` 回答期限,
 * 回答日,回答日数. The pg driver spends about 0.35 µs on every value it hands over, more than
 * formatting it takes, so 7 values instead of 13 halve the cost of reading a row; PostgreSQL
 * does the joining (and formats the dates in the ward zone) in its own process.
 */
function lineColumns(postgres: boolean) {
  const sql = lineSql(postgres)
  return [
    'opinions.id',
    'opinions.subject',
    'opinions.body',
    db.raw(`${sql.head} AS line_head`),
    db.raw(`${sql.coded} AS line_coded`),
    db.raw(`${sql.handled} AS line_handled`),
    db.raw(`${sql.tail} AS line_tail`),
  ]
}

/** A cell whose text is the same on every row that has it (labels, topic and department names). */
interface SharedCell {
  cell: string
  /** Characters of it replaced by 〓, counted again on every row. */
  replaced: number
}

/** 'yyyy-MM-dd' of a DB date or timestamp value, in the ward zone (SQLite: already ward-local text). */
const WARD_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: WARD_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
function wardDate(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return WARD_DATE.format(value)
  return String(value).slice(0, 10)
}

/** A pg `date` column comes back as a Date at local midnight; its calendar date is what counts. */
function plainDate(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0')
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
  }
  return String(value).slice(0, 10)
}

/**
 * The opinion CSV (受付番号 … 回答日数), streamed: rows are read in keyset
 * batches of 2,000 and each batch is written as one string, encoded once, so
 * a million rows export with flat memory. Same scoping and filters as the
 * statistics page. Every export is audit-logged with its filters and row count.
 *
 * CP932: the whole export cannot be checked before sending (as sendCsv does
 * for small lists) without reading it twice, so characters CP932 cannot hold
 * even after the usual look-alike mapping (〜→～ …) are written as 〓, the
 * Japanese convention for a missing glyph. The count of replaced characters
 * goes into the audit log; the page says so next to the Shift_JIS button, and
 * UTF-8 (the default) loses nothing.
 */
export default class OpinionExport {
  static columns(): CsvColumn[] {
    return COLUMNS.map(({ key, label }) => ({
      key,
      header: jaText(`opinion_statistics.csv.${label}`),
    }))
  }

  /** Replaces what CP932 lacks: look-alikes first, then 〓; counts the 〓. */
  static toCp932(text: string, progress: ExportProgress): string {
    return CsvExport.replaceUnencodable(CsvExport.toCp932Safe(text), GETA, progress)
  }

  /**
   * The rows, batch by batch (keyset on opinions.id, never OFFSET); labels in
   * Japanese. `progress` counts rows, batches and replaced characters.
   */
  static async *rows(
    user: User,
    filters: StatisticsFilters,
    options: ExportOptions
  ): AsyncGenerator<CsvRow> {
    const progress = options.progress ?? { rows: 0, batches: 0, replaced: 0 }
    const format = await OpinionExport.#formatter(options.encoding, progress)
    const batches = OpinionExport.#batches(user, filters, options, progress, () => SELECTED)
    for await (const batch of batches) {
      for (const row of batch) {
        progress.rows++
        yield format.row(row)
      }
    }
  }

  /**
   * The CSV lines: the header, then the lines of each batch (what the rows of `rows` become
   * through CsvExport.stream, without a stream stage per row).
   */
  static async *lines(
    user: User,
    filters: StatisticsFilters,
    options: ExportOptions
  ): AsyncGenerator<string[]> {
    const progress = options.progress ?? { rows: 0, batches: 0, replaced: 0 }
    const format = await OpinionExport.#formatter(options.encoding, progress)
    yield [format.header]
    const batches = OpinionExport.#batches(user, filters, options, progress, lineColumns)
    for await (const batch of batches) {
      const lines = batch.map(format.line)
      progress.rows += batch.length
      yield lines
    }
  }

  /**
   * The database rows in keyset batches. On PostgreSQL the next batch is already being read
   * (by the server, in its own process) while this one is formatted. `onBatch` runs once the
   * consumer has taken a batch.
   */
  static async *#batches(
    user: User,
    filters: StatisticsFilters,
    options: ExportOptions,
    progress: ExportProgress,
    columns: (postgres: boolean) => Array<string | RawQuery>
  ): AsyncGenerator<OpinionRow[]> {
    const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE
    const { query } = await OpinionListQuery.filtered(user, filters)
    const postgres = query.client.dialect.name === 'postgres'
    const selected = columns(postgres)
    // SQLite reads synchronously in this process: reading ahead would gain nothing there.
    const readAhead = postgres
    const read = (afterId: number): Promise<OpinionRow[]> => {
      const batch = query
        .clone()
        .select(...selected)
        .where('opinions.id', '>', afterId)
        .orderBy('opinions.id', 'asc')
        .limit(batchSize)
        .pojo<OpinionRow>()
        .exec()
      // A batch read ahead fails where it is awaited, or never if the export stopped first:
      // not as an unhandled rejection meanwhile.
      batch.catch(() => {})
      return batch
    }
    let next: Promise<OpinionRow[]> | null = read(0)
    while (next) {
      const batch: OpinionRow[] = await next
      next = null
      progress.batches++
      const lastId = batch.length === batchSize ? Number(batch[batch.length - 1].id) : null
      if (lastId !== null && readAhead) next = read(lastId)
      yield batch
      if (batch.length > 0) await options.onBatch?.(batch.length)
      if (lastId !== null && !readAhead) next = read(lastId)
    }
  }

  /**
   * Turns database rows into CSV rows (`row`, values as CsvExport formats them) or straight
   * into CSV lines (`line`, identical to what CsvExport.stream makes of `row`). Topic,
   * department and label cells are made once per export.
   */
  static async #formatter(encoding: CsvEncoding, progress: ExportProgress) {
    const cp932 = encoding === 'cp932'
    const text = (value: string) => (cp932 ? OpinionExport.toCp932(value, progress) : value)
    const topics = new Map<number, string>()
    for (const topic of await Topic.all()) topics.set(Number(topic.id), topic.name)
    const departments = new Map<number, string>()
    for (const department of await Department.all()) {
      departments.set(Number(department.id), department.name)
    }
    const labels = new Map<string, string>()
    const label = (group: string, value: string) => {
      const key = `${group}.${value}`
      if (!labels.has(key)) labels.set(key, jaText(`opinion_statistics.${key}`))
      return labels.get(key)!
    }

    /** The quoted cell of a text repeated over many rows (made once; 〓 counted per row). */
    const shared = (value: string): SharedCell => {
      const counter = { replaced: 0 }
      const final = cp932
        ? CsvExport.replaceUnencodable(CsvExport.toCp932Safe(value), GETA, counter)
        : value
      return { cell: CsvExport.textCell(final), replaced: counter.replaced }
    }
    const use = (found: SharedCell) => {
      progress.replaced += found.replaced
      return found.cell
    }
    const namedCells = (names: Map<number, string>) =>
      new Map([...names].map(([id, name]) => [id, shared(name)]))
    const topicCells = namedCells(topics)
    const departmentCells = namedCells(departments)
    const joined = (...cells: SharedCell[]): SharedCell => ({
      cell: cells.map(({ cell }) => cell).join(','),
      replaced: cells.reduce((sum, { replaced }) => sum + replaced, 0),
    })
    const labelCell = (group: string, value: string) => shared(label(group, value))
    const nameOf = (cells: Map<number, SharedCell>, id: string) =>
      id === '' ? { cell: '', replaced: 0 } : (cells.get(Number(id)) ?? shared(''))
    /** Cells of a joined code (line_coded, line_handled), made on its first row. */
    const byCode = (make: (codes: string[]) => SharedCell) => {
      const cells = new Map<string, SharedCell>()
      return (code: string) => {
        let found = cells.get(code)
        if (!found) cells.set(code, (found = make(code.split(','))))
        return use(found)
      }
    }
    const codedCells = byCode(([channel, kind, topicId]) =>
      joined(labelCell('channels', channel), labelCell('kinds', kind), nameOf(topicCells, topicId))
    )
    const handledCells = byCode(([departmentId, status]) =>
      joined(nameOf(departmentCells, departmentId), labelCell('statuses', status))
    )
    const textCell = (value: string) => CsvExport.textCell(text(value))

    const header = OpinionExport.columns().map(({ header: name }) =>
      cp932 ? CsvExport.toCp932Safe(name) : name
    )
    return {
      header: CsvExport.line(header),

      row(row: OpinionRow): CsvRow {
        return {
          referenceNo: `${row.fiscal_year}-${String(row.id).padStart(6, '0')}`,
          receivedOn: wardDate(row.received_at),
          fiscalYear: Number(row.fiscal_year),
          channel: label('channels', row.channel),
          kind: label('kinds', row.kind),
          topic: row.topic_id === null ? '' : text(topics.get(Number(row.topic_id)) ?? ''),
          subject: text(row.subject),
          body: text(row.body),
          leadDepartment:
            row.lead_department_id === null
              ? ''
              : text(departments.get(Number(row.lead_department_id)) ?? ''),
          status: label('statuses', row.status),
          dueOn: plainDate(row.due_on),
          repliedOn: wardDate(row.replied_at),
          replyOpenDays: row.reply_open_days === null ? null : Number(row.reply_open_days),
        }
      },

      /** The line CsvExport makes of `row`, from a row of `lineColumns`. */
      line(row: OpinionRow): string {
        return (
          `${row.line_head},${codedCells(row.line_coded)},${textCell(row.subject)},` +
          `${textCell(row.body)},${handledCells(row.line_handled)},${row.line_tail}\r\n`
        )
      },
    }
  }

  /** How many rows the export of these filters has (the same scoping and filters as `rows`). */
  static async count(user: User, filters: StatisticsFilters): Promise<number> {
    const { query } = await OpinionListQuery.filtered(user, filters)
    const [row] = await query.clone().count('* as total').pojo<{ total: number | string }>()
    return Number(row.total)
  }

  /** `opinions-<fiscal year|all>-<date in the ward>[-sjis].csv` */
  static fileName(filters: StatisticsFilters, encoding: CsvEncoding, today: DateTime): string {
    const year = filters.fiscalYear ?? 'all'
    const date = today.setZone(WARD_ZONE).toISODate()
    return `opinions-${year}-${date}${encoding === 'cp932' ? '-sjis' : ''}.csv`
  }

  /** The content type of the file: `text/csv; charset=utf-8` or `…=Shift_JIS`. */
  static contentType(encoding: CsvEncoding): string {
    return `text/csv; charset=${encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`
  }

  /**
   * The CSV stream. The audit entry ('opinions.export': filters, encoding,
   * row count, replaced characters, whether it completed) is written when
   * the last row has been read, or when writing stops part-way. UTF-8 on
   * PostgreSQL is made by the database (OpinionCopyExport): the same bytes.
   */
  static stream(user: User, filters: StatisticsFilters, options: ExportOptions): Readable {
    const progress = options.progress ?? { rows: 0, batches: 0, replaced: 0 }
    async function* bytes(): AsyncGenerator<Buffer> {
      if (options.encoding === 'utf8' && db.connection().dialect.name === 'postgres') {
        const header = CsvExport.line(OpinionExport.columns().map(({ header: name }) => name))
        yield Buffer.from(CsvExport.utf8Bom + header)
        const { query } = await OpinionListQuery.filtered(user, filters)
        const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE
        yield* OpinionCopyExport.bytes(query, { ...options, batchSize }, progress)
        return
      }
      yield* CsvExport.encodeLines(OpinionExport.lines(user, filters, { ...options, progress }), {
        encoding: options.encoding,
      })
    }
    async function* audited(): AsyncGenerator<Buffer> {
      let completed = false
      try {
        yield* bytes()
        completed = true
      } finally {
        await AuditLogger.system.record({
          action: 'opinions.export',
          actor: { type: 'user', id: user.id, label: user.email },
          details: {
            ...OpinionStatisticsFilters.toQueryString(filters),
            encoding: options.encoding,
            rows: progress.rows,
            replacedCharacters: progress.replaced,
            completed,
            ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
          },
        })
      }
    }
    return Readable.from(audited(), { objectMode: false })
  }
}
