import type { Readable } from 'node:stream'
import iconv from 'iconv-lite'
import type { DateTime } from 'luxon'
import Department from '#models/department'
import Topic from '#models/topic'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import CsvExport, { type CsvColumn, type CsvEncoding, type CsvRow } from '#services/csv/csv_export'
import OpinionListQuery from '#services/opinions/opinion_list_query'
import type { StatisticsFilters } from '#services/opinions/opinion_statistics'
import OpinionStatisticsFilters from '#services/opinions/opinion_statistics_filters'
import { jaText } from '#services/ja_text'
import { WARD_ZONE } from '#services/ward_calendar'

/** Rows per keyset batch (WHERE id > last ORDER BY id LIMIT n). */
export const EXPORT_BATCH_SIZE = 5000

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

const ASCII_ONLY = /^\p{ASCII}*$/u

/**
 * Whether CP932 holds a character, remembered per character: a text with one 〓 is checked
 * character by character, and an iconv round trip for each took ~0.3–0.7 ms per 100-character
 * text (~10–15 µs remembered); a Shift_JIS export where one text in seven has a 〓 went from
 * 2,500 to 7,500 rows/s. Japanese text repeats a few thousand characters.
 */
const CP932_HOLDS = new Map<string, boolean>()
const CP932_REMEMBERED = 65_536
function cp932Holds(character: string): boolean {
  let holds = CP932_HOLDS.get(character)
  if (holds === undefined) {
    holds = iconv.decode(iconv.encode(character, 'cp932'), 'cp932') === character
    if (CP932_HOLDS.size < CP932_REMEMBERED) CP932_HOLDS.set(character, holds)
  }
  return holds
}

/** 'yyyy-MM-dd' of a DB date or timestamp value, in the ward zone (SQLite: already ward-local text). */
const WARD_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
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
 * batches of 5,000 and written as they come, so a million rows export with
 * flat memory. Same scoping and filters as the statistics page. Every export
 * is audit-logged with its filters and row count.
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
    if (ASCII_ONLY.test(text)) return text
    const mapped = CsvExport.toCp932Safe(text)
    if (iconv.decode(iconv.encode(mapped, 'cp932'), 'cp932') === mapped) return mapped
    let result = ''
    for (const character of mapped) {
      if (cp932Holds(character)) {
        result += character
      } else {
        result += GETA
        progress.replaced++
      }
    }
    return result
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
    const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE
    const progress = options.progress ?? { rows: 0, batches: 0, replaced: 0 }
    const cp932 = options.encoding === 'cp932'
    const text = (value: string) => (cp932 ? OpinionExport.toCp932(value, progress) : value)
    const allTopics = await Topic.all()
    const allDepartments = await Department.all()
    const topics = new Map(allTopics.map((topic) => [Number(topic.id), topic.name]))
    const departments = new Map(
      allDepartments.map((department) => [Number(department.id), department.name])
    )
    const labels = new Map<string, string>()
    const label = (group: string, value: string) => {
      const key = `${group}.${value}`
      if (!labels.has(key)) labels.set(key, jaText(`opinion_statistics.${key}`))
      return labels.get(key)!
    }

    const { query } = await OpinionListQuery.filtered(user, filters)
    let lastId = 0
    while (true) {
      const batch: Array<Record<string, any>> = await query
        .clone()
        .select(SELECTED)
        .where('opinions.id', '>', lastId)
        .orderBy('opinions.id', 'asc')
        .limit(batchSize)
        .pojo()
      progress.batches++
      for (const row of batch) {
        progress.rows++
        yield {
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
      }
      if (batch.length > 0) await options.onBatch?.(batch.length)
      if (batch.length < batchSize) return
      lastId = Number(batch[batch.length - 1].id)
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
   * the last row has been read, or when writing stops part-way.
   */
  static stream(user: User, filters: StatisticsFilters, options: ExportOptions): Readable {
    const progress = options.progress ?? { rows: 0, batches: 0, replaced: 0 }
    async function* audited(): AsyncGenerator<CsvRow> {
      let completed = false
      try {
        yield* OpinionExport.rows(user, filters, { ...options, progress })
        completed = true
      } finally {
        await AuditLogger.record({
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
    return CsvExport.stream(OpinionExport.columns(), audited(), { encoding: options.encoding })
  }
}
