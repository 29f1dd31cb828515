import iconv from 'iconv-lite'

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

const UTF8_BOM = [0xef, 0xbb, 0xbf]

/** Encoding problems listed one by one before the rest is summed up. */
const MAX_ENCODING_PROBLEMS = 50

type LineEncoding = 'ascii' | 'utf8' | 'cp932' | 'invalid' | 'control'

/**
 * Reads CSV exported by the old systems or by Excel: UTF-8 (with or without
 * BOM) or CP932 (Shift_JIS as Windows writes it), comma separated, fields
 * quoted per RFC 4180 (a quoted field may hold commas, "" and line breaks).
 * Unlike a stream parser it never stops at the first fault: every problem
 * is reported with its line, so a dry run can list them all.
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
  ): { text: string; encoding: 'utf8' | 'cp932'; problems: CsvSyntaxProblem[]; garbledLines: Set<number> } {
    const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte)
    const body = hasBom ? bytes.subarray(3) : bytes
    const lines = CsvParse.lineEncodings(body)
    const utf8Lines = lines.filter((line) => line.kind === 'utf8').length
    const cp932Lines = lines.filter((line) => line.kind === 'cp932').length
    const chosen: 'utf8' | 'cp932' =
      encoding === 'cp932' || (encoding === 'auto' && !hasBom && cp932Lines > utf8Lines) ? 'cp932' : 'utf8'
    const text = chosen === 'cp932' ? iconv.decode(body, 'cp932') : new TextDecoder('utf-8').decode(body)
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
      problems.push({ line: problems[problems.length - 1].line, message: `ほかにも文字コードの合わない行が${skipped}行あります。` })
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

  static #encodingProblem(kind: LineEncoding, chosen: 'utf8' | 'cp932', mixed: boolean): string | null {
    if (kind === 'control') return '制御文字（NULなど）が含まれています。CSVとして保存し直してください。'
    if (kind === 'invalid') return 'UTF-8としてもShift_JIS（CP932）としても読めない文字があります。'
    if (kind === 'cp932' && chosen === 'utf8') {
      return mixed
        ? 'この行はShift_JIS（CP932）で書かれており、ほかの行（UTF-8）と文字コードが違います。ファイル全体を同じ文字コードで保存し直してください。'
        : 'UTF-8として読めない文字があります。文字コードにCP932（Shift_JIS）を選んでください。'
    }
    if (kind === 'utf8' && chosen === 'cp932') {
      return mixed
        ? 'この行はUTF-8で書かれており、ほかの行（Shift_JIS（CP932））と文字コードが違います。ファイル全体を同じ文字コードで保存し直してください。'
        : 'この行はUTF-8で書かれているようです。文字コードにUTF-8を選んでください。'
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

  /** RFC 4180 records with their starting line; blank lines are skipped. */
  static records(text: string): { records: CsvRecord[]; problems: CsvSyntaxProblem[] } {
    const records: CsvRecord[] = []
    const problems: CsvSyntaxProblem[] = []
    let line = 1
    let recordLine = 1
    let cells: string[] = []
    let field = ''
    let quoted = false
    let afterQuote = false
    let fieldStarted = false

    const endField = () => {
      cells.push(field)
      field = ''
      afterQuote = false
      fieldStarted = false
    }
    const endRecord = () => {
      endField()
      if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells })
      cells = []
    }

    for (let index = 0; index < text.length; index++) {
      const char = text[index]
      if (quoted) {
        if (char === '"') {
          if (text[index + 1] === '"') {
            field += '"'
            index++
          } else {
            quoted = false
            afterQuote = true
          }
        } else {
          if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line++
          field += char
        }
        continue
      }
      if (char === ',') {
        endField()
      } else if (char === '\r' || char === '\n') {
        if (char === '\r' && text[index + 1] === '\n') index++
        endRecord()
        line++
        recordLine = line
      } else if (char === '"' && !fieldStarted) {
        quoted = true
        fieldStarted = true
      } else {
        if (afterQuote) {
          problems.push({ line, message: '引用符（"）で囲んだ値の後に文字があります。' })
          afterQuote = false
        }
        field += char
        fieldStarted = true
      }
    }
    if (quoted) {
      problems.push({ line: recordLine, message: '引用符（"）が閉じられていません。' })
    }
    if (field !== '' || cells.length > 0 || quoted) endRecord()
    return { records, problems }
  }

}
