import {
  addCaption,
  annexMarker,
  clauseRows,
  coverRows,
  type ClauseLine,
} from '#services/council/compare/blocks'
import type { DocumentRow } from '#services/council/compare/rows'
import { splitItemMarker } from '#services/register/special_terms_text'
import type {
  CouncilDocumentData,
  CouncilDocumentRow,
  CouncilDocumentSpecialTerms,
} from '#services/council/council_document_data'

/**
 * The rows of a council document straight from its data, without rendering the PDF: what
 * parsePdfText gives for the `pdftotext` text of the PDF CouncilDocument renders from the same
 * data (see council_document_pdf.ts for what is printed, pdf_parser.ts and blocks.ts for how it
 * is read back). The cover and the clauses go through the same functions the parsers use
 * (coverRows, clauseRows, addCaption), fed with the lines the PDF prints.
 */
export function documentRows(data: CouncilDocumentData): DocumentRow[] {
  const rows: DocumentRow[] = []
  rows.push(...coverRows(coverLines(data)))

  if (data.overview.length > 0) rows.push(...tableRows(data.overview, '事業の概要'))

  let termsCount = 0
  const addTerms = (terms: CouncilDocumentSpecialTerms) => {
    termsCount++
    rows.push(...clauseRows(clauseLines(terms), `特記事項${termsCount}`))
  }

  data.annexes.forEach((annex, index) => {
    const section = `別紙${index + 1}`
    for (const caption of annex.captions) {
      const text = nfkc(caption).trim()
      if (text === '') continue
      // A bare 別紙 / 別紙2 line is a marker, not a row.
      if (annexMarker(text)?.caption === null) continue
      addCaption(rows, text, section)
    }
    rows.push({ kind: 'subject', label: '件名', value: annex.subject, section })
    rows.push(...tableRows(annex.rows, section))
    if (annex.specialTerms) addTerms(annex.specialTerms)
  })
  for (const terms of data.specialTerms ?? []) addTerms(terms)
  return rows
}

const nfkc = (text: string) => text.normalize('NFKC')

/** The cover page's lines as printed (CouncilDocument.coverPage). */
function coverLines(data: CouncilDocumentData): string[] {
  const lines: string[] = []
  if (data.header) lines.push(data.header)
  lines.push(data.title, '件名', ...data.subject.split(/\r?\n/), '内容は別紙のとおり')
  if (data.basis.length > 0) {
    lines.push('条例の根拠')
    for (const basis of data.basis) {
      lines.push(`【${basis.kind.replace(/^【|】$/g, '')}】`)
      for (const article of basis.articles) {
        const marked = /^◇[\s\u3000]*/.exec(article)
        lines.push(marked ? `◇ ${article.slice(marked[0].length)}` : article)
      }
    }
  }
  if (data.contact) lines.push(...contactLines(data.contact))
  return lines.map((line) => nfkc(line).trim()).filter((line) => line !== '')
}

/** As CouncilDocument.contactLines: the （担当部課：…） part and the rest on two lines. */
function contactLines(contact: string): string[] {
  if (contact.includes('\n')) return contact.split(/\r?\n/)
  const match = contact.match(/^(（担当部課[:：][^）]*）)[\s\u3000]*(.+)$/u)
  return match ? [match[1], match[2]] : [contact]
}

/** Table rows: label | value lines joined with \n (a tab-separated line's cells by spaces). */
function tableRows(rows: CouncilDocumentRow[], section: string): DocumentRow[] {
  return rows.map((row) => ({
    kind: 'row',
    label: row.label,
    value: (Array.isArray(row.value) ? row.value : [row.value])
      .flatMap((part) => part.split(/\r?\n/))
      .map((line) => line.replace(/\t/g, ' '))
      .join('\n'),
    section,
  }))
}

/**
 * The lines of a special-terms page (CouncilDocument.specialTermsPage): （見出し） once for a
 * heading shared by consecutive clauses, `番号 本文`, further paragraphs and sub-items indented.
 */
function clauseLines(terms: CouncilDocumentSpecialTerms): ClauseLine[] {
  const lines: ClauseLine[] = []
  let previousHeading = ''
  for (const clause of terms.clauses) {
    const heading = clause.heading.trim().replace(/^[（(]|[）)]$/g, '')
    if (heading && heading !== previousHeading) lines.push({ text: nfkc(`（${heading}）`) })
    previousHeading = heading || previousHeading
    const [first = '', ...paragraphs] = clause.body
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
    lines.push({ text: nfkc(`${clause.numberLabel?.trim() || clause.number}\u3000${first}`) })
    for (const paragraph of paragraphs) lines.push({ text: nfkc(paragraph), indented: true })
    clause.items.forEach((item, index) => {
      const { marker, text } = splitItemMarker(item)
      lines.push({ text: nfkc(`${marker || `（${index + 1}）`} ${text}`), indented: true })
    })
  }
  return lines
}
