import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
import { jaText } from '#services/ja_text'

/** How to read an uploaded CSV: detect, or as the user says. */
export const CSV_INPUT_ENCODINGS = ['auto', 'utf8', 'cp932'] as const
export type CsvInputEncoding = (typeof CSV_INPUT_ENCODINGS)[number]

/** One record and the physical line it starts on (1-based; a quoted field may span lines). */
export interface CsvRecord {
  line: number
  cells: string[]
}

/** A problem found while reading the file itself, before any column is looked at. */
export interface CsvSyntaxProblem {
  line: number
  message: string
}

export interface ParsedCsv {
  encoding: 'utf8' | 'cp932'
  records: CsvRecord[]
  problems: CsvSyntaxProblem[]
  /** Physical lines that do not read in the file's encoding (their values would be garbled). */
  garbledLines: Set<number>
}

export const UTF8_BOM = [0xef, 0xbb, 0xbf]

/** Encoding problems listed one by one before the rest is summed up. */
export const MAX_ENCODING_PROBLEMS = 50

type LineEncoding = 'ascii' | 'utf8' | 'cp932' | 'invalid' | 'control'

/**
 * Reads CSV exported by the old systems or by Excel: UTF-8 (with or without
 * BOM) or CP932 (Shift_JIS as Windows writes it), comma separated, fields
 * quoted per RFC 4180 (a quoted field may hold commas, "" and line breaks),
 * read by csv-parse. It never stops at the first fault: every problem is
 * reported with its line, so a dry run can list them all.
 */
export default class CsvParse {
  static parse(bytes: Buffer, encoding: CsvInputEncoding = 'auto'): ParsedCsv {
    const decoded = CsvParse.decode(bytes, encoding)
    const { records, problems } = CsvParse.records(decoded.text)
    return {
      encoding: decoded.encoding,
      records,
      problems: [...decoded.problems, ...problems],
      garbledLines: decoded.garbledLines,
    }
  }

  /**
   * Auto: UTF-8 when the bytes are valid UTF-8 (CP932 text with Japanese
   * almost never is), otherwise CP932. Each physical line is also checked on
   * its own (a line break is the same byte in both encodings and never part
   * of a character), so a file pasted together from a UTF-8 and a CP932
   * export, or one with broken bytes, is reported line by line instead of
   * being read as garbled text: such lines are problems, and an import with
   * problems saves nothing.
   */
  static decode(
    bytes: Buffer,
    encoding: CsvInputEncoding
  ): {
    text: string
    encoding: 'utf8' | 'cp932'
    problems: CsvSyntaxProblem[]
    garbledLines: Set<number>
  } {
    const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte)
    const body = hasBom ? bytes.subarray(3) : bytes
    const lines = CsvParse.lineEncodings(body)
    const utf8Lines = lines.filter((line) => line.kind === 'utf8').length
    const cp932Lines = lines.filter((line) => line.kind === 'cp932').length
    const chosen: 'utf8' | 'cp932' =
      encoding === 'cp932' || (encoding === 'auto' && !hasBom && cp932Lines > utf8Lines)
        ? 'cp932'
        : 'utf8'
    const text =
      chosen === 'cp932' ? iconv.decode(body, 'cp932') : new TextDecoder('utf-8').decode(body)
    const mixed = utf8Lines > 0 && cp932Lines > 0
    const problems: CsvSyntaxProblem[] = []
    const garbledLines = new Set<number>()
    let skipped = 0
    for (const line of lines) {
      const message = CsvParse.#encodingProblem(line.kind, chosen, mixed)
      if (!message) continue
      garbledLines.add(line.line)
      if (problems.length < MAX_ENCODING_PROBLEMS) problems.push({ line: line.line, message })
      else skipped++
    }
    if (skipped > 0) {
      problems.push({
        line: problems[problems.length - 1].line,
        message: jaText('messages.csv.more_encoding_problems', { count: String(skipped) }),
      })
    }
    return { text, encoding: chosen, problems, garbledLines }
  }

  /**
   * How each physical line (1-based) reads: ASCII only (the same in both
   * encodings), valid UTF-8, valid CP932 only, or neither; a line with
   * control characters (NUL and the like; tab and line breaks are fine) is
   * `control`, whatever its encoding.
   */
  static lineEncodings(body: Uint8Array): Array<{ line: number; kind: LineEncoding }> {
    const result: Array<{ line: number; kind: LineEncoding }> = []
    let start = 0
    let line = 1
    while (start <= body.length) {
      let end = body.indexOf(0x0a, start)
      if (end < 0) end = body.length
      const bytes = body.subarray(start, end)
      if (bytes.length > 0) result.push({ line, kind: CsvParse.#lineKind(bytes) })
      start = end + 1
      line++
    }
    return result
  }

  static #lineKind(bytes: Uint8Array): LineEncoding {
    if (bytes.some((byte) => byte < 0x20 && byte !== 0x09 && byte !== 0x0d)) return 'control'
    if (bytes.every((byte) => byte < 0x80)) return 'ascii'
    if (CsvParse.isUtf8(bytes)) return 'utf8'
    const text = iconv.decode(Buffer.from(bytes), 'cp932')
    return /[\uFFFD\u0080]/.test(text) ? 'invalid' : 'cp932'
  }

  static #encodingProblem(
    kind: LineEncoding,
    chosen: 'utf8' | 'cp932',
    mixed: boolean
  ): string | null {
    if (kind === 'control') return jaText('messages.csv.control_characters')
    if (kind === 'invalid') return jaText('messages.csv.unreadable')
    if (kind === 'cp932' && chosen === 'utf8') {
      return jaText(mixed ? 'messages.csv.cp932_line_among_utf8' : 'messages.csv.choose_cp932')
    }
    if (kind === 'utf8' && chosen === 'cp932') {
      return jaText(mixed ? 'messages.csv.utf8_line_among_cp932' : 'messages.csv.choose_utf8')
    }
    return null
  }

  static isUtf8(bytes: Uint8Array): boolean {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes)
      return true
    } catch {
      return false
    }
  }

  /**
   * RFC 4180 records with their starting line; blank lines are skipped.
   * csv-parse reads the fields (quotes relaxed, so a stray character after a
   * closing quote does not stop the file); the raw text of each quoted field
   * is checked here so that such a character is still reported on its line.
   */
  static records(text: string): { records: CsvRecord[]; problems: CsvSyntaxProblem[] } {
    const problems: CsvSyntaxProblem[] = []
    let unclosed = false
    let rows = CsvParse.#read(text, problems, () => (unclosed = true))
    if (unclosed) {
      // Read as the file ends: the open quoted field runs to the end of the file.
      problems.length = 0
      rows = CsvParse.#read(`${text}"`, problems, () => {})
      problems.push({
        line: rows[rows.length - 1].line,
        message: jaText('messages.csv.quote_not_closed'),
      })
    }
    return {
      records: rows.filter((row) => !(row.cells.length === 1 && row.cells[0] === '')),
      problems,
    }
  }

  static #read(text: string, problems: CsvSyntaxProblem[], onUnclosed: () => void): CsvRecord[] {
    const buffer = Buffer.from(text, 'utf8')
    const lineStarts = CsvParse.#lineStarts(buffer)
    const lineOf = (offset: number) => {
      let low = 0
      let high = lineStarts.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if (lineStarts[middle] <= offset) low = middle
        else high = middle - 1
      }
      return low + 1
    }
    /** Byte offset where the next field starts (blank lines before a record are skipped). */
    let fieldStart = 0
    let recordStart = 0
    const skipLineBreaks = (offset: number) => {
      while (buffer[offset] === 0x0d || buffer[offset] === 0x0a) offset++
      return offset
    }
    const records: CsvRecord[] = []
    parse(buffer, {
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error?.code === 'CSV_QUOTE_NOT_CLOSED') onUnclosed()
      },
      cast: (value, context) => {
        const start = context.column === 0 ? skipLineBreaks(fieldStart) : fieldStart
        if (context.column === 0) recordStart = start
        fieldStart = context.bytes + 1
        if (!context.quoting) return value
        const raw = buffer.subarray(start, context.bytes).toString('utf8')
        const closing = CsvParse.#closingQuote(raw)
        if (closing === raw.length - 1) return value
        // A character after the closing quote: the quoted part and the rest, as one value.
        problems.push({
          line: lineOf(start + Buffer.byteLength(raw.slice(0, closing + 1))),
          message: jaText('messages.csv.text_after_quote'),
        })
        return raw.slice(1, closing).replaceAll('""', '"') + raw.slice(closing + 1)
      },
      on_record: (cells, context) => {
        records.push({ line: lineOf(recordStart), cells })
        fieldStart = context.bytes
        return null
      },
    })
    return records
  }

  /** Index of the quote that closes the quoted field `raw` (which starts with a quote). */
  static #closingQuote(raw: string): number {
    let index = 1
    while (index < raw.length) {
      if (raw[index] !== '"') index++
      else if (raw[index + 1] === '"') index += 2
      else return index
    }
    return raw.length - 1
  }

  /** Byte offsets where each physical line starts (CRLF, LF and a lone CR end a line). */
  static #lineStarts(buffer: Buffer): number[] {
    const starts = [0]
    for (let index = 0; index < buffer.length; index++) {
      const byte = buffer[index]
      if (byte === 0x0a || (byte === 0x0d && buffer[index + 1] !== 0x0a)) starts.push(index + 1)
    }
    return starts
  }
}
