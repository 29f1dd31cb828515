import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { splitItemMarker } from '#services/register/special_terms_text'
import type {
  CouncilDocumentAnnex,
  CouncilDocumentBasis,
  CouncilDocumentData,
  CouncilDocumentRow,
  CouncilDocumentSpecialTerms,
} from '#services/council/council_document_data'

/**
 * 情報公開・個人情報保護審議会 諮問・報告事項 — the council document, laid out like the seed
 * documents in tests/fixtures/seeds/:
 *
 *   page 1      資料番号 (top right) · centred title · 件名 box · 内容は別紙のとおり · 条例の根拠
 *               (【諮問】/【報告】/【事前報告】 + articles as written) · 担当部課 line · 事業の概要 table
 *   別紙 pages  one per annex: caption lines, then a bordered table 件名 | subject + label | value rows
 *   特記事項    each clause set on a new page: centred title, （見出し） / `1\u3000本文` / （1）…
 *
 * The definition is plain data (no functions), so it can be posted to the PDF worker
 * (app/services/pdf_renderer.ts). Tables use the 'council' layout registered by PdfRenderer
 * (thin black rules); any other renderer falls back to pdfmake's default bordered layout.
 * Short rows move to the next page whole; long rows break across pages (dontBreakRows: false),
 * so a long cell never overflows a page.
 */

/** The font family PdfRenderer registers (Noto Sans JP, @expo-google-fonts/noto-sans-jp). */
export const COUNCIL_FONT = 'NotoSansJP'

/** The table layout PdfRenderer registers for bordered council tables. */
export const COUNCIL_TABLE_LAYOUT = 'council'

/** 20 mm in PDF points. */
const MM20 = (20 * 72) / 25.4

const FONT_SIZE = 10.5
const LABEL_WIDTH = '30%'
/** Thin rules of the 'council' table layout (see PdfRenderer). */
const RULE_WIDTH = 0.6
/** Approximate characters per line in the label (10 pt) and value (10.5 pt) columns. */
const LABEL_CHARS_PER_LINE = 13
const VALUE_CHARS_PER_LINE = 31
/** Rows up to this many lines (about a third of a page) never break across pages. */
const UNBREAKABLE_LINES = 14

/** Markers that start a numbered or bulleted line; the rest of the line gets a hanging indent. */
const LINE_MARKER =
  /^((?:[①-⑳㉑-㉟㊱-㊿⑴-⒇]|[・○◇◆●■□※]|[（(][0-9０-９]{1,3}[）)]|[0-9０-９]{1,3}[.．]?(?=[\s\u3000])))[\s\u3000]*(?=\S)/u

export default class CouncilDocument {
  static definition(data: CouncilDocumentData): TDocumentDefinitions {
    const content: Content[] = [
      ...CouncilDocument.coverPage(data),
      // Each annex is followed by the special terms attached to it, as the council's documents are.
      ...data.annexes.flatMap((annex, index) => [
        ...CouncilDocument.annexPage(annex, index, data.annexes.length),
        ...(annex.specialTerms ? CouncilDocument.specialTermsPage(annex.specialTerms) : []),
      ]),
      ...(data.specialTerms ?? []).flatMap((terms) => CouncilDocument.specialTermsPage(terms)),
    ]

    return {
      pageSize: 'A4',
      pageOrientation: 'portrait',
      pageMargins: [MM20, MM20, MM20, MM20],
      info: {
        title: data.subject,
        subject: data.title,
        creator: 'Daichō',
        producer: 'Daichō (pdfmake)',
      },
      defaultStyle: { font: COUNCIL_FONT, fontSize: FONT_SIZE, lineHeight: 1.15 },
      styles: {
        docHeader: { fontSize: FONT_SIZE },
        title: { fontSize: 15, bold: true, alignment: 'center' },
        sectionHeading: { fontSize: 12, bold: true },
        subjectLabel: { fontSize: 11, alignment: 'center' },
        subject: { fontSize: 12, bold: true },
        label: { fontSize: 10 },
        annexLabel: { fontSize: 11, bold: true },
        caption: { fontSize: FONT_SIZE },
        termsTitle: { fontSize: 15, bold: true, alignment: 'center', characterSpacing: 6 },
        clauseHeading: { fontSize: FONT_SIZE },
      },
      content,
    }
  }

  /** 資料番号, title, 件名, 条例の根拠, 担当部課 and 事業の概要. */
  private static coverPage(data: CouncilDocumentData): Content[] {
    const content: Content[] = []

    if (data.header) {
      // A small box at the top right, as on the council's agenda papers.
      content.push({
        columns: [
          { width: '*', text: '' },
          {
            width: 'auto',
            table: {
              body: [
                [{ text: data.header, style: 'docHeader', noWrap: true, margin: [6, 1, 6, 1] }],
              ],
            },
            layout: COUNCIL_TABLE_LAYOUT,
          },
        ],
        margin: [0, 0, 0, 14],
      })
    } else {
      content.push({ text: '', margin: [0, 0, 0, 12] })
    }

    content.push({ text: data.title, style: 'title', margin: [0, 0, 0, 16] })

    // 件名 box: a short label cell and the subject.
    content.push({
      table: {
        widths: [56, '*'],
        body: [
          [
            {
              text: '件　名',
              style: 'subjectLabel',
              verticalAlignment: 'middle',
              margin: [0, 8, 0, 8],
            },
            {
              text: data.subject,
              style: 'subject',
              verticalAlignment: 'middle',
              margin: [4, 8, 4, 8],
            },
          ],
        ],
      },
      layout: COUNCIL_TABLE_LAYOUT,
      margin: [0, 0, 0, 12],
    })

    content.push({ text: '内容は別紙のとおり', margin: [FONT_SIZE, 0, 0, 12] })

    if (data.basis.length > 0) {
      content.push({ text: '条例の根拠', style: 'sectionHeading', margin: [0, 0, 0, 6] })
      for (const basis of data.basis) content.push(...CouncilDocument.basisBlock(basis))
    }

    if (data.contact) {
      content.push({
        stack: CouncilDocument.contactLines(data.contact).map((line) => ({ text: line })),
        alignment: 'right',
        margin: [0, 10, 0, 0],
      })
    }

    if (data.overview.length > 0) {
      content.push({ text: '事業の概要', style: 'sectionHeading', margin: [0, 12, 0, 6] })
      content.push(CouncilDocument.rowsTable(data.overview))
    }

    return content
  }

  /** 【諮問】 then one line per article as written; a ◇ written before it hangs in its own column. */
  private static basisBlock(basis: CouncilDocumentBasis): Content[] {
    const kind = basis.kind.replace(/^【|】$/g, '')
    return [
      { text: `【${kind}】`, margin: [FONT_SIZE, 4, 0, 2] },
      ...basis.articles.map((article): Content => {
        const marked = /^◇[\s\u3000]*/.exec(article)
        return {
          columns: marked
            ? [
                { width: 'auto', text: '◇' },
                { width: '*', text: article.slice(marked[0].length) },
              ]
            : [{ width: '*', text: article }],
          columnGap: 2,
          margin: [FONT_SIZE * 2, 0, 0, 2],
        }
      }),
    ]
  }

  /**
   * '（担当部課：区長室危機管理課） 担当係 危機管理 担当者 福田 内線（2473）' prints on two lines as in
   * the seeds; explicit line breaks are kept as they are.
   */
  private static contactLines(contact: string): string[] {
    if (contact.includes('\n')) return contact.split(/\r?\n/)
    const match = contact.match(/^(（担当部課[:：][^）]*）)[\s\u3000]*(.+)$/u)
    return match ? [match[1], match[2]] : [contact]
  }

  /** One 別紙 on a new page: 別紙 label or caption lines, then the 件名 row and the label | value rows. */
  private static annexPage(annex: CouncilDocumentAnnex, index: number, count: number): Content[] {
    const content: Content[] = []
    const hasOwnLabel = annex.captions.some((caption) => caption.trim().startsWith('別紙'))

    content.push({
      text: hasOwnLabel ? '' : count > 1 ? `別紙${index + 1}` : '別紙',
      style: 'annexLabel',
      pageBreak: 'before',
      margin: [0, 0, 0, hasOwnLabel ? 0 : 10],
    })

    for (const caption of annex.captions) {
      content.push({ text: caption, style: 'caption', margin: [0, 0, 0, 4] })
    }

    const subjectRow: TableCell[] = [
      {
        text: '件名',
        style: 'label',
        bold: true,
        alignment: 'center',
        verticalAlignment: 'middle',
      },
      { text: annex.subject, bold: true, margin: [0, 2, 0, 2] },
    ]
    content.push(
      CouncilDocument.rowsTable(annex.rows, [subjectRow], annex.captions.length > 0 ? 8 : 0)
    )
    return content
  }

  /**
   * Each clause set on a new page: centred title, then per clause （見出し） (once for a heading
   * shared by consecutive clauses, none when the clause has none), `番号\u3000本文` with the number as
   * written, further paragraphs indented, and sub-items as written (（n） added only to an item
   * entered without a marker).
   */
  private static specialTermsPage(terms: CouncilDocumentSpecialTerms): Content[] {
    const content: Content[] = [
      { text: terms.title, style: 'termsTitle', pageBreak: 'before', margin: [0, 0, 0, 16] },
    ]
    let previousHeading = ''
    for (const clause of terms.clauses) {
      const heading = clause.heading.trim().replace(/^[（(]|[）)]$/g, '')
      if (heading && heading !== previousHeading) {
        content.push({ text: `（${heading}）`, style: 'clauseHeading', margin: [0, 6, 0, 1] })
      }
      previousHeading = heading || previousHeading
      const [first = '', ...paragraphs] = clause.body
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
      content.push({
        text: `${clause.numberLabel?.trim() || clause.number}\u3000${first}`,
        alignment: 'justify',
        margin: [0, heading ? 0 : 4, 0, 0],
      })
      for (const paragraph of paragraphs) {
        content.push({ text: paragraph, alignment: 'justify', leadingIndent: FONT_SIZE })
      }
      clause.items.forEach((item, i) => {
        const { marker, text } = splitItemMarker(item)
        content.push({
          columns: [
            { width: 'auto', text: marker || `（${i + 1}）` },
            { width: '*', text },
          ],
          columnGap: marker ? 3 : 0,
          margin: [FONT_SIZE, 1, 0, 0],
        })
      })
    }
    return content
  }

  /**
   * A two-column bordered table (label ~30 % | value). Each row is its own one-row table, stacked
   * so that the borders overlap exactly: a short row (estimated at most ~1/3 page) is unbreakable
   * and moves to the next page as a whole, while a long row breaks across pages
   * (dontBreakRows: false) instead of overflowing.
   */
  private static rowsTable(
    rows: CouncilDocumentRow[],
    leading: TableCell[][] = [],
    top = 0
  ): Content {
    const bodies: TableCell[][][] = rows.map((row) => [
      [{ text: row.label, style: 'label' }, CouncilDocument.valueCell(row.value)],
    ])
    const heights = rows.map((row) => CouncilDocument.estimateLines(row))
    if (leading.length > 0) {
      // The 件名 row stays with the first row.
      bodies[0] = [...leading, ...(bodies[0] ?? [])]
      heights[0] = (heights[0] ?? 0) + leading.length * 2
    }
    return {
      stack: bodies.map((body, index): Content => ({
        table: { widths: [LABEL_WIDTH, '*'], body, dontBreakRows: false },
        layout: COUNCIL_TABLE_LAYOUT,
        unbreakable: heights[index] <= UNBREAKABLE_LINES,
        // Overlap the previous table's bottom rule with this table's top rule.
        margin: [0, index === 0 ? 0 : -RULE_WIDTH, 0, 0],
      })),
      margin: [0, top, 0, 0],
    }
  }

  /** Rough number of printed lines of a row (full-width characters count 1, others ½). */
  private static estimateLines(row: CouncilDocumentRow): number {
    const lines = (width: number, text: string) =>
      text.split(/\r?\n/).reduce((sum, line) => {
        const chars = [...line].reduce((n, ch) => n + (ch.charCodeAt(0) < 0x2000 ? 0.55 : 1), 0)
        return sum + Math.max(1, Math.ceil(chars / width))
      }, 0)
    const value = Array.isArray(row.value) ? row.value.join('\n') : row.value
    return Math.max(lines(LABEL_CHARS_PER_LINE, row.label), lines(VALUE_CHARS_PER_LINE, value))
  }

  /**
   * A value: string[] → one line per element; \n in a string → kept line breaks; consecutive
   * lines with a tab → a table (as pasted from a spreadsheet).
   */
  private static valueCell(value: string | string[]): TableCell {
    const lines = (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(/\r?\n/))
    if (lines.length === 1 && !LINE_MARKER.test(lines[0]) && !lines[0].includes('\t'))
      return { text: lines[0] }
    const stack: Content[] = []
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('\t')) {
        stack.push(CouncilDocument.valueLine(lines[i]))
        continue
      }
      const rows: string[][] = []
      while (i < lines.length && lines[i].includes('\t'))
        rows.push(lines[i++].split('\t').map((cell) => cell.trim()))
      i--
      stack.push(CouncilDocument.innerTable(rows))
    }
    return { stack }
  }

  /** A table inside a value cell: every row padded to the widest row. */
  private static innerTable(rows: string[][]): Content {
    const columns = Math.max(...rows.map((row) => row.length))
    return {
      table: {
        widths: Array.from({ length: columns }, () => '*'),
        body: rows.map((row) =>
          Array.from({ length: columns }, (_, c) => ({ text: row[c] ?? '', fontSize: 9.5 }))
        ),
      },
      layout: COUNCIL_TABLE_LAYOUT,
      margin: [0, 2, 0, 2],
    }
  }

  /** A numbered/bulleted line gets a hanging indent so wrapped text aligns after the marker. */
  private static valueLine(line: string): Content {
    if (line.trim() === '') return { text: ' ' }
    const match = line.match(LINE_MARKER)
    if (!match) {
      // Leading spaces indent a continuation line such as '\u3000ID、パスワード、…' as a block
      // (a full-width space is one character, an ASCII space half of one).
      const indent = line.match(/^[ \t\u3000]+/)?.[0] ?? ''
      if (indent) {
        const width = [...indent].reduce((sum, ch) => sum + (ch === '　' ? 1 : 0.5), 0)
        return { text: line.slice(indent.length), margin: [width * FONT_SIZE, 0, 0, 0] }
      }
      // A paragraph (a long sentence without marker) starts with a one-character indent.
      const paragraph =
        !line.startsWith('【') && line.endsWith('。') && [...line].length > VALUE_CHARS_PER_LINE
      return paragraph ? { text: line, leadingIndent: FONT_SIZE } : { text: line }
    }
    return {
      columns: [
        { width: 'auto', text: match[1] },
        { width: '*', text: line.slice(match[0].length) },
      ],
      columnGap: 3,
    }
  }
}
