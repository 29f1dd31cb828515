import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { alignRows } from '#services/council/compare/align'
import { displayText, normalise } from '#services/council/compare/normalize'
import { parsePdfText } from '#services/council/compare/pdf_parser'
import { parseReference } from '#services/council/compare/reference_parser'
import type { DocumentRow, RowKind } from '#services/council/compare/rows'

/**
 * Round-trip comparison of a council document (情報公開・個人情報保護審議会 諮問・報告事項):
 * the text of a generated PDF against a reference text of the real document, row by row.
 * `node ace council:compare PDF TXT` runs it on any document.
 *
 * ## What a row is
 *
 * A row is one label with its value:
 *
 *  - a table row of 事業の概要 or of an annex (別紙): label | value (kind 'row');
 *  - the 件名 of the cover and of each annex (kind 'subject', label '件名');
 *  - a line of the cover page (kind 'cover'): the 資料 header (平成19年度 第7回 資料33), the
 *    title, 内容は別紙のとおり, 条例の根拠, each 【諮問】/【報告】/【事前報告】 line, each ◇ article
 *    line, and the contact (（担当部課：…） with its 担当係 … line, one row). The label is what
 *    the line is (資料, 表題, 内容, 条例の根拠, 区分, 条項, 担当部課); a line printed wrapped
 *    continues the row it belongs to;
 *  - a caption line above an annex table (kind 'caption'): ◇１．… ・・・事前報告, or an annex
 *    heading with text such as 別紙（業務委託＝…）. A bare 別紙 / 別紙1 is not a row;
 *  - a special-terms clause (kind 'clause'): its （heading） as label ('' when none is printed,
 *    e.g. the second of two clauses sharing one heading) and number + body + sub-items as value,
 *    however the body is wrapped or broken over pages.
 *
 * Not rows: the headings 事業の概要 and 特記事項, page numbers, attachments (付属資料, images).
 *
 * ## Equality
 *
 * Labels and values are compared after normalising: NFKC (full-width/half-width digits,
 * letters, brackets and spaces are one form), every whitespace character removed (so line
 * wrapping never matters), HTML tags removed (<p>, <li>, <b>, <ol style=…>), markdown
 * decoration removed (leading '#', '##', '- ', '**'), the elision mark '：：：' ignored.
 * A row is identical when its normalised label and its normalised value are both equal.
 *
 * Rows are paired in document order (align.ts). The score is identical / total, where total
 * counts every pair, every reference row missing from the PDF and every PDF row the reference
 * does not have. The reference may be markdown-ish (label<TAB>value, '## 件名 …', '# 特記事項')
 * or plain text extracted from a PDF (labels found by vocabulary); see reference_parser.ts.
 */

export interface ComparedRow {
  kind: RowKind
  /** The reference's label (the PDF's when the row is only in the PDF). */
  label: string
  /** The reference's value; null when the row is only in the PDF. */
  expected: string | null
  /** The PDF's value; null when the row is missing from the PDF. */
  actual: string | null
  identical: boolean
  /** The PDF's label when it differs from the reference's. */
  actualLabel?: string
  /** Where the row is ('表紙', '事業の概要', '別紙1', '特記事項1' …). */
  section: string
}

export interface Comparison {
  identical: number
  total: number
  rows: ComparedRow[]
}

/** Compares the `pdftotext -layout` text of a PDF with a reference text of the document. */
export function compareCouncilDocument(pdfText: string, referenceText: string): Comparison {
  const pdfRows = parsePdfText(pdfText)
  const referenceRows = parseReference(
    referenceText,
    pdfRows.filter((row) => row.kind === 'row').map((row) => row.label)
  )
  return compareRows(referenceRows, pdfRows)
}

/** Compares rows already parsed (used by compareCouncilDocument). */
export function compareRows(referenceRows: DocumentRow[], pdfRows: DocumentRow[]): Comparison {
  const rows: ComparedRow[] = alignRows(referenceRows, pdfRows).map(
    ({ expected, actual, identical }) => {
      const base = (expected ?? actual)!
      const row: ComparedRow = {
        kind: base.kind,
        label: displayText(base.label),
        expected: expected ? displayText(expected.value) : null,
        actual: actual ? displayText(actual.value) : null,
        identical,
        section: base.section,
      }
      if (expected && actual && normalise(expected.label) !== normalise(actual.label)) {
        row.actualLabel = displayText(actual.label)
      }
      return row
    }
  )
  return { identical: rows.filter((row) => row.identical).length, total: rows.length, rows }
}

/**
 * pdftotext options: -layout keeps the columns; -fixed 5.25 (half of the 10.5 pt body font)
 * places every text run at x / 5.25 on every page, so a page that only continues a value is
 * still read as the value column.
 */
export const PDFTOTEXT_ARGS = ['-layout', '-fixed', '5.25', '-enc', 'UTF-8']

export class PdftotextMissingError extends Error {
  constructor() {
    super('pdftotext was not found: install poppler-utils (e.g. apt-get install poppler-utils)')
  }
}

/** Runs `pdftotext -layout` on a PDF file and returns its text. */
export async function extractPdfText(file: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('pdftotext', [...PDFTOTEXT_ARGS, file, '-'], {
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    })
    return stdout
  } catch (error: any) {
    if (error?.code === 'ENOENT') throw new PdftotextMissingError()
    const detail = String(error?.stderr || error?.message || error).trim()
    throw new Error(`pdftotext could not read ${file}: ${detail}`)
  }
}

/** A short view of two differing texts around their first difference. */
function excerpt(text: string, from: number, width = 36): string {
  const chars = [...text]
  const start = Math.max(0, from - 12)
  const end = Math.min(chars.length, start + width)
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`
}

function firstDifference(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  let index = 0
  while (index < x.length && index < y.length && x[index] === y[index]) index++
  return index
}

/** One line describing a row that differs. */
export function describeDifference(row: ComparedRow): string {
  const where = `[${row.section}] ${row.kind}${row.label ? ` ${excerpt(row.label, 0, 30)}` : ''}`
  if (row.actual === null)
    return `${where}: missing from the PDF (expected «${excerpt(normalise(row.expected ?? ''), 0)}»)`
  if (row.expected === null)
    return `${where}: not in the reference (got «${excerpt(normalise(row.actual), 0)}»)`
  const parts: string[] = []
  if (row.actualLabel !== undefined)
    parts.push(`label expected «${row.label}» got «${row.actualLabel}»`)
  const expected = normalise(row.expected)
  const actual = normalise(row.actual)
  if (expected !== actual) {
    const at = firstDifference(expected, actual)
    parts.push(`expected «${excerpt(expected, at)}» got «${excerpt(actual, at)}»`)
  }
  return `${where}: ${parts.join('; ')}`
}

/** The report printed by `node ace council:compare`: the score line, then each differing row. */
export function formatReport(document: string, comparison: Comparison): string[] {
  return [
    `${document}: ${comparison.identical}/${comparison.total} rows`,
    ...comparison.rows.filter((row) => !row.identical).map((row) => `  ${describeDifference(row)}`),
  ]
}
