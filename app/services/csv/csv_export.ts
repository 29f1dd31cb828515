import { Readable, Transform, pipeline } from 'node:stream'
import { stringify } from 'csv-stringify'
import iconv from 'iconv-lite'
import { DateTime } from 'luxon'
import { jaText } from '#services/ja_text'
import { WARD_ZONE } from '#services/ward_calendar'

/** Output encoding: UTF-8 with BOM (current Excel) or CP932 (Shift_JIS as Windows knows it). */
export type CsvEncoding = 'utf8' | 'cp932'

/** One CSV column: `key` reads the row object, `header` is the label in the first line. */
export interface CsvColumn {
  key: string
  header: string
}

export type CsvRow = Record<string, unknown>
export type CsvRows = AsyncIterable<CsvRow> | Iterable<CsvRow>

/** A character CP932 cannot hold. `row` is the 1-based data row (0 = the header line). */
export interface CsvEncodingProblem {
  row: number
  column: string
  character: string
}

const MAX_LISTED_PROBLEMS = 10

/** Raised (or returned by `check`) when text cannot be written as CP932 without becoming '?'. */
export class CsvEncodingError extends Error {
  readonly problems: CsvEncodingProblem[]

  constructor(problems: CsvEncodingProblem[]) {
    // CSV files are Japanese whatever the reader's language, and so is this message about one.
    const parts = problems
      .slice(0, MAX_LISTED_PROBLEMS)
      .map(({ row, column, character }) =>
        row === 0
          ? jaText('messages.csv.cp932_unwritable_header', { column, character })
          : jaText('messages.csv.cp932_unwritable_cell', { row: String(row), column, character })
      )
    const rest = problems.length - MAX_LISTED_PROBLEMS
    if (rest > 0) parts.push(jaText('messages.csv.cp932_unwritable_more', { count: String(rest) }))
    super(
      jaText('messages.csv.cp932_unwritable', {
        listed: parts.join(jaText('messages.csv.list_separator')),
      })
    )
    this.name = 'CsvEncodingError'
    this.problems = problems
  }
}

/*
 * Characters iconv-lite's cp932 turns into '?', mapped to the CP932 character
 * that looks the same. Every pair was checked with an iconv-lite round trip.
 * The first eight are the classic JIS-vs-Microsoft table differences (text
 * decoded with a JIS table, e.g. from a Mac or Java). ‐ (U+2010) needs no
 * mapping: CP932 has it (0x815D).
 */
const CP932_LOOKALIKES: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 WAVE DASH → ～
  '\u2212': '\uFF0D', // − MINUS SIGN → －
  '\u2016': '\u2225', // ‖ DOUBLE VERTICAL LINE → ∥
  '\u00A2': '\uFFE0', // ¢ → ￠
  '\u00A3': '\uFFE1', // £ → ￡
  '\u00AC': '\uFFE2', // ¬ → ￢
  '\u2014': '\u2015', // — EM DASH → ―
  '\u00A6': '\uFFE4', // ¦ BROKEN BAR → ￤
  '\u00A5': '\uFFE5', // ¥ (iconv writes 0x5C, which reads back as '\') → ￥
  '\u203E': '\uFFE3', // ‾ OVERLINE (iconv writes 0x7E, reads back as '~') → ￣
  '\u00A0': ' ', // NO-BREAK SPACE (pasted from web pages) → space
}
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(CP932_LOOKALIKES).join('')}]`, 'g')
const ASCII_ONLY = /^\p{ASCII}*$/u

function toCp932Safe(text: string): string {
  return text.replace(LOOKALIKE_PATTERN, (character) => CP932_LOOKALIKES[character])
}

// Excel formula injection: text starting with = + - @ TAB CR (or full-width ＝＋－＠) gets a leading ',
// except plain numbers such as '-5'; numbers, dates and booleans are never touched.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** Fields containing a bare CR or LF: csv-stringify only quotes the full '\r\n' delimiter. */
const LINE_BREAK = /[\r\n]/

/** Characters of already-mapped text that do not survive a cp932 round trip, distinct, in order. */
function unencodableInMapped(text: string): string[] {
  if (ASCII_ONLY.test(text)) return []
  if (iconv.decode(iconv.encode(text, 'cp932'), 'cp932') === text) return []
  const found = new Set<string>()
  for (const character of text) {
    if (iconv.decode(iconv.encode(character, 'cp932'), 'cp932') !== character) found.add(character)
  }
  return [...found]
}

/*
 * Wall-clock parts in the ward zone. Intl is about 2.5 times faster than
 * luxon's setZone().toFormat() and equally zone-correct (e.g. 1948–51 DST).
 */
const WARD_CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: WARD_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/** Date cell: 'yyyy-MM-dd' at 00:00:00 in the ward zone, otherwise 'yyyy-MM-dd HH:mm'. */
function formatInstant(epochMillis: number): string {
  if (!Number.isFinite(epochMillis)) return ''
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {}
  for (const { type, value } of WARD_CLOCK.formatToParts(epochMillis)) part[type] = value
  const date = `${part.year}-${part.month}-${part.day}`
  const midnight =
    part.hour === '00' && part.minute === '00' && part.second === '00' && epochMillis % 1000 === 0
  return midnight ? date : `${date} ${part.hour}:${part.minute}`
}

/** The text of one cell, before CP932 mapping; `isText` marks values the formula guard applies to. */
function formatValue(value: unknown): { text: string; isText: boolean } {
  if (value === null || value === undefined) return { text: '', isText: false }
  if (typeof value === 'boolean') return { text: value ? '1' : '0', isText: false }
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { text: String(value), isText: false }
  }
  if (DateTime.isDateTime(value)) return { text: formatInstant(value.toMillis()), isText: false }
  if (value instanceof Date) return { text: formatInstant(value.getTime()), isText: false }
  return { text: String(value), isText: true }
}

function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

/**
 * Turns rows into arrays of final cell strings (header first). With cp932,
 * cells are mapped to look-alikes and `onProblems` receives the characters
 * that are still unencodable, per row.
 */
async function* cells(
  columns: CsvColumn[],
  rows: CsvRows,
  encoding: CsvEncoding,
  onProblems: (problems: CsvEncodingProblem[]) => void
): AsyncGenerator<string[]> {
  const cp932 = encoding === 'cp932'
  const collect = (row: number, values: string[]) => {
    if (!cp932) return
    const problems: CsvEncodingProblem[] = []
    values.forEach((text, index) => {
      for (const character of unencodableInMapped(text)) {
        problems.push({ row, column: columns[index].header, character })
      }
    })
    if (problems.length > 0) onProblems(problems)
  }

  const header = columns.map(({ header: label }) => (cp932 ? toCp932Safe(label) : label))
  collect(0, header)
  yield header

  let rowNumber = 0
  for await (const row of rows) {
    rowNumber++
    const values = columns.map(({ key }) => {
      const { text, isText } = formatValue(row[key])
      if (!isText) return text
      return guardFormula(cp932 ? toCp932Safe(text) : text)
    })
    collect(rowNumber, values)
    yield values
  }
}

export default class CsvExport {
  /** Replaces characters CP932 lacks with their CP932 look-alikes (〜→～, −→－, ‖→∥, ¢→￠ …). */
  static toCp932Safe(text: string): string {
    return toCp932Safe(text)
  }

  /**
   * Distinct characters (by code point, so 𠮷 counts once) that would still
   * become '?' in CP932 after `toCp932Safe`.
   */
  static unencodableCharacters(text: string): string[] {
    return unencodableInMapped(toCp932Safe(text))
  }

  /**
   * Streams the CSV bytes row by row with backpressure: header line first,
   * CRLF, quoting only where needed. UTF-8 starts with a BOM. With cp932 the
   * stream fails fast with a CsvEncodingError at the first row holding a
   * character CP932 cannot represent (use `check` first to list them all).
   */
  static stream(columns: CsvColumn[], rows: CsvRows, options: { encoding: CsvEncoding }): Readable {
    const { encoding } = options
    const source = Readable.from(
      cells(columns, rows, encoding, (problems) => {
        throw new CsvEncodingError(problems)
      })
    )
    const stringifier = stringify({
      bom: encoding === 'utf8',
      record_delimiter: '\r\n',
      quoted_match: LINE_BREAK,
    })
    stringifier.setEncoding('utf8')
    const encoder = new Transform({
      decodeStrings: false,
      transform(chunk: string, _encoding, callback) {
        callback(null, encoding === 'cp932' ? iconv.encode(chunk, 'cp932') : Buffer.from(chunk))
      },
    })
    // Errors destroy every stage; the returned stream emits the original error.
    return pipeline(source, stringifier, encoder, () => {})
  }

  /** Collects `stream` into one Buffer: for small exports and tests only. */
  static async toBuffer(
    columns: CsvColumn[],
    rows: CsvRows,
    options: { encoding: CsvEncoding }
  ): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of CsvExport.stream(columns, rows, options)) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  /**
   * Dry run for CP932: reads every row and returns all unencodable characters
   * (as a CsvEncodingError, not thrown) or null, without producing output.
   */
  static async check(columns: CsvColumn[], rows: CsvRows): Promise<CsvEncodingError | null> {
    const problems: CsvEncodingProblem[] = []
    const rowsOfCells = cells(columns, rows, 'cp932', (found) => problems.push(...found))
    // Only the problems matter; the cells are dropped.
    let row = await rowsOfCells.next()
    while (!row.done) row = await rowsOfCells.next()
    return problems.length > 0 ? new CsvEncodingError(problems) : null
  }
}
