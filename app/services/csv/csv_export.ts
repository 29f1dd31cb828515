import { Readable } from 'node:stream'
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

function toCp932Safe(text: string): string {
  return text.replace(LOOKALIKE_PATTERN, (character) => CP932_LOOKALIKES[character])
}

/*
 * Whether CP932 holds a BMP character (an iconv-lite round trip gives it back), remembered per
 * code unit: 0 not yet asked, 1 holds, 2 does not. A round trip of every text cost more than
 * encoding it; Japanese text repeats a few thousand characters. Surrogates never hold: CP932
 * has nothing outside the BMP, and a lone surrogate becomes '?'.
 */
const CP932_HOLDS = new Uint8Array(0x10000)
function cp932HoldsCode(code: number): boolean {
  if (code < 0x80) return true
  if (code >= 0xd800 && code <= 0xdfff) return false
  if (CP932_HOLDS[code] === 0) {
    const character = String.fromCharCode(code)
    CP932_HOLDS[code] =
      iconv.decode(iconv.encode(character, 'cp932'), 'cp932') === character ? 1 : 2
  }
  return CP932_HOLDS[code] === 1
}

/** Index of the first character CP932 lacks in already-mapped text, or -1. */
function firstUnencodable(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (!cp932HoldsCode(text.charCodeAt(index))) return index
  }
  return -1
}

/** Length in code units of the character at `index` (2 for a surrogate pair). */
function characterLength(text: string, index: number): number {
  const code = text.charCodeAt(index)
  if (code < 0xd800 || code > 0xdbff) return 1
  const next = text.charCodeAt(index + 1)
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1
}

// Excel formula injection: text starting with = + - @ TAB CR (or full-width ＝＋－＠) gets a leading ',
// except plain numbers such as '-5'; numbers, dates and booleans are never touched.
const FORMULA_CHARACTERS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']
const FORMULA_START = new RegExp(`^[${FORMULA_CHARACTERS.join('').replace('-', '\\-')}]`)
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
/** PLAIN_NUMBER as a PostgreSQL regular expression (JavaScript's \d without the u flag is 0-9). */
const PLAIN_NUMBER_POSTGRES = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$'

/** Cells that need quotes: a quote, the delimiter, or a line break (also a bare CR or LF). */
const NEEDS_QUOTES = /[",\r\n]/

/** Rows formatted into one string, encoded and written at a time by `stream`. */
const ROWS_PER_CHUNK = 500

const UTF8_BOM = '\uFEFF'

/** Characters of already-mapped text that do not survive a cp932 round trip, distinct, in order. */
function unencodableInMapped(text: string): string[] {
  let index = firstUnencodable(text)
  if (index === -1) return []
  const found = new Set<string>()
  while (index < text.length) {
    const length = characterLength(text, index)
    const character = text.slice(index, index + length)
    if (length === 2 || !cp932HoldsCode(character.charCodeAt(0))) found.add(character)
    index += length
  }
  return [...found]
}

/** A final cell as written in a line: in quotes (doubled inside) when it needs them. */
function quote(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** One CSV line (RFC 4180 quoting, CRLF) of final cell strings. */
function csvLine(values: string[]): string {
  return values.map(quote).join(',') + '\r\n'
}

/**
 * Lines as bytes: CP932 encoded in one go; UTF-8 written line by line into one buffer, which
 * spares joining them into one more copy first (a third of the cost of writing a line).
 */
function encodeLines(lines: string[], encoding: CsvEncoding): Buffer {
  if (encoding === 'cp932') return iconv.encode(lines.join(''), 'cp932')
  let length = 0
  for (const line of lines) length += line.length
  // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 for 2).
  const bytes = Buffer.allocUnsafe(length * 3)
  let written = 0
  for (const line of lines) written += bytes.write(line, written)
  return bytes.subarray(0, written)
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

/** Lines of `cells`, ROWS_PER_CHUNK at a time. */
async function* lineChunks(rowsOfCells: AsyncIterable<string[]>): AsyncGenerator<string[]> {
  let lines: string[] = []
  for await (const values of rowsOfCells) {
    lines.push(csvLine(values))
    if (lines.length === ROWS_PER_CHUNK) {
      yield lines
      lines = []
    }
  }
  if (lines.length > 0) yield lines
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
    const values = columns.map(({ key }) => CsvExport.cell(row[key], encoding))
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
   * Streams the CSV bytes with backpressure: header line first, CRLF, quoting only where
   * needed; rows are formatted and encoded 500 at a time. UTF-8 starts with a BOM. With cp932
   * the stream fails with a CsvEncodingError at the first chunk holding a character CP932
   * cannot represent, before writing it (use `check` first to list them all).
   */
  static stream(columns: CsvColumn[], rows: CsvRows, options: { encoding: CsvEncoding }): Readable {
    const { encoding } = options
    const rowsOfCells = cells(columns, rows, encoding, (problems) => {
      throw new CsvEncodingError(problems)
    })
    return CsvExport.streamLines(lineChunks(rowsOfCells), { encoding })
  }

  /**
   * Streams CSV lines made elsewhere (whole lines, header first), a batch at a time, e.g. one
   * batch of database rows: each batch is encoded once and read only as fast as it is
   * written. UTF-8 gets the BOM. With cp932 the text must already be encodable
   * (`toCp932Safe`, `replaceUnencodable`): what CP932 lacks would become '?'.
   */
  static streamLines(
    batches: AsyncIterable<string[]>,
    options: { encoding: CsvEncoding }
  ): Readable {
    return Readable.from(CsvExport.encodeLines(batches, options), { objectMode: false })
  }

  /** The bytes of `streamLines`, batch by batch (UTF-8 starts with the BOM). */
  static async *encodeLines(
    batches: AsyncIterable<string[]>,
    options: { encoding: CsvEncoding }
  ): AsyncGenerator<Buffer> {
    let first = options.encoding === 'utf8'
    for await (const lines of batches) {
      yield encodeLines(first ? [UTF8_BOM, ...lines] : lines, options.encoding)
      first = false
    }
  }

  /** The UTF-8 byte order mark, as `streamLines` starts a UTF-8 file. */
  static readonly utf8Bom = UTF8_BOM

  /**
   * The cell `line` writes of a text column (`guardFormula`, then `quote`), as PostgreSQL
   * expressions, for a CSV line the database makes itself: `guarded` is the column's text
   * guarded against formulas, `quoted(guarded)` that text as its cell. `literal` writes a
   * JavaScript string as an SQL literal.
   */
  static postgresCell(literal: (text: string) => string) {
    return {
      // The literals are written where they are used, in order (they may be bindings).
      guarded: (column: string) => {
        const formulaStarts = FORMULA_CHARACTERS.map(literal).join(', ')
        const plainNumber = literal(PLAIN_NUMBER_POSTGRES)
        return (
          `CASE WHEN left(${column}, 1) IN (${formulaStarts}) AND ${column} !~ ${plainNumber}` +
          ` THEN '''' || ${column} ELSE ${column} END`
        )
      },
      // strpos of one character each: four scans cost less than one regular expression.
      quoted: (text: string) =>
        `CASE WHEN strpos(${text}, '"') > 0 OR strpos(${text}, ',') > 0` +
        ` OR strpos(${text}, chr(13)) > 0 OR strpos(${text}, chr(10)) > 0` +
        ` THEN '"' || replace(${text}, '"', '""') || '"' ELSE ${text} END`,
    }
  }

  /** One CSV line of final cell strings (see `cell`): quoted where needed, ending in CRLF. */
  static line(values: string[]): string {
    return csvLine(values)
  }

  /** A final cell as `line` writes it: quoted when it holds a quote, a comma or a line break. */
  static quote(value: string): string {
    return quote(value)
  }

  /**
   * The final text of one cell as `stream` writes it: dates in the ward zone, booleans 1/0,
   * null empty, text guarded against formulas (and mapped to CP932 look-alikes with cp932).
   */
  static cell(value: unknown, encoding: CsvEncoding): string {
    const { text, isText } = formatValue(value)
    if (!isText) return text
    return guardFormula(encoding === 'cp932' ? toCp932Safe(text) : text)
  }

  /** A text's cell as `line` writes it: guarded against formulas, then quoted where needed. */
  static textCell(text: string): string {
    return quote(guardFormula(text))
  }

  /** Text prefixed with ' when Excel would read it as a formula (= + - @ TAB CR, ＝＋－＠). */
  static guardFormula(text: string): string {
    return guardFormula(text)
  }

  /**
   * Mapped text (`toCp932Safe`) with each character CP932 still lacks replaced by
   * `substitute`; `counter.replaced` grows by the number replaced (a surrogate pair is one).
   */
  static replaceUnencodable(
    mapped: string,
    substitute: string,
    counter: { replaced: number }
  ): string {
    let index = firstUnencodable(mapped)
    if (index === -1) return mapped
    let result = mapped.slice(0, index)
    while (index < mapped.length) {
      const length = characterLength(mapped, index)
      if (length === 1 && cp932HoldsCode(mapped.charCodeAt(index))) {
        result += mapped[index]
      } else {
        result += substitute
        counter.replaced++
      }
      index += length
    }
    return result
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
