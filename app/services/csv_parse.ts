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
}

const UTF8_BOM = [0xef, 0xbb, 0xbf]

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
    return { encoding: decoded.encoding, records, problems: [...decoded.problems, ...problems] }
  }

  /**
   * Auto: UTF-8 when the bytes are valid UTF-8 (CP932 text with Japanese
   * almost never is), otherwise CP932.
   */
  static decode(bytes: Buffer, encoding: CsvInputEncoding): { text: string; encoding: 'utf8' | 'cp932'; problems: CsvSyntaxProblem[] } {
    const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte)
    const body = hasBom ? bytes.subarray(3) : bytes
    if (encoding === 'cp932' || (encoding === 'auto' && !hasBom && !CsvParse.isUtf8(body))) {
      return { text: iconv.decode(body, 'cp932'), encoding: 'cp932', problems: [] }
    }
    const text = new TextDecoder('utf-8').decode(body)
    const problems: CsvSyntaxProblem[] = []
    const bad = text.indexOf('\uFFFD')
    if (bad >= 0 && !CsvParse.isUtf8(body)) {
      problems.push({ line: CsvParse.#lineAt(text, bad), message: 'UTF-8として読めない文字があります。文字コードにCP932（Shift_JIS）を選んでください。' })
    }
    return { text, encoding: 'utf8', problems }
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

  static #lineAt(text: string, offset: number): number {
    let line = 1
    for (let index = 0; index < offset; index++) if (text[index] === '\n') line++
    return line
  }
}
