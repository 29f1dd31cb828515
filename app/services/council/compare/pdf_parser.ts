import {
  addCaption,
  annexMarker,
  clauseRows,
  coverRows,
  isOverviewHeading,
  isTermsTitle,
  looksLikeCaption,
  type ClauseLine,
} from '#services/council/compare/blocks'
import { normalise } from '#services/council/compare/normalize'
import { labelVocabulary, type DocumentRow } from '#services/council/compare/rows'

/**
 * Parses the text of a council document PDF extracted with `pdftotext -layout` (best with
 * `-fixed`, which keeps the columns of every page at the same place; see compare.ts) into rows.
 *
 * Geometry, not wording: a table line is split into the label column and the value column by
 * x position. The value column is where the second text run of a line starts when the first run
 * is at the left edge (the most common such column of the page, else of the document). Label
 * fragments of one row are joined; a row ends at a blank line (the cell padding), or where a
 * label starts after value-only lines, or where a whole known label is followed by the start of
 * another; a label printed in the middle of its cell (件名) takes the value lines printed above
 * it; a block without a label continues the previous row (a row broken over a page, a blank line
 * inside a value). Sections are found by their markers: 事業の概要, 別紙…, ◇ captions (when a
 * 件名 row follows), the 特記事項 title; clauses are read as in blocks.ts, an indented line never
 * starting a clause.
 */

interface Run {
  start: number
  end: number
  text: string
}

interface PdfLine {
  page: number
  runs: Run[]
  /** Runs joined by one space, NFKC. */
  text: string
}

/** Page numbers ('- 3 -', '3', '3/8') printed alone at the top or bottom of a page. */
const PAGE_NUMBER = /^(?:[-－‐―–]\s*)?[0-9]+(?:\s*[-－‐―–])?$|^[0-9]+\s*\/\s*[0-9]+$/u

/** A first run that is a number or a marker, not a label ('1' of a clause line, '○', '(1)'). */
const MARKER_RUN = /^(?:[0-9０-９]+[.．]?|[（(][0-9０-９]+[)）]|[◇・○●■□※①-⑳])$/u

function runsOf(line: string): Run[] {
  const runs: Run[] = []
  for (const match of line.matchAll(/\S+(?: \S+)*/gu)) {
    const start = match.index ?? 0
    runs.push({ start, end: start + match[0].length, text: match[0] })
  }
  return runs
}

function mode(values: number[]): number | null {
  if (values.length === 0) return null
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]
}

/** Lines of each page (null = blank line), page numbers removed. */
function readPages(text: string): Array<Array<PdfLine | null>> {
  const pages = text.replace(/\r\n?/g, '\n').split('\f')
  if (pages.length > 1 && pages[pages.length - 1].trim() === '') pages.pop()
  return pages.map((page, pageIndex) => {
    const lines: Array<PdfLine | null> = page.split('\n').map((raw) => {
      const runs = runsOf(raw.replace(/\s+$/u, ''))
      if (runs.length === 0) return null
      return {
        page: pageIndex,
        runs,
        text: runs.map((run) => run.text.normalize('NFKC')).join(' '),
      }
    })
    const filled = lines.map((line, index) => (line ? index : -1)).filter((index) => index >= 0)
    for (const index of [filled[0], filled[filled.length - 1]]) {
      const line = index === undefined ? null : lines[index]
      if (line && line.runs.length === 1 && PAGE_NUMBER.test(line.text)) lines[index] = null
    }
    return lines
  })
}

interface PageColumns {
  /** Leftmost text column of the page. */
  left: number
  /** Start column of the value column (null when the page shows no two-column line). */
  value: number | null
}

function detectColumns(pages: Array<Array<PdfLine | null>>): PageColumns[] {
  const perPage = pages.map((lines) => {
    const filled = lines.filter((line): line is PdfLine => line !== null)
    const left = filled.length > 0 ? Math.min(...filled.map((line) => line.runs[0].start)) : 0
    const candidates = filled
      .filter(
        (line) =>
          line.runs.length >= 2 &&
          line.runs[0].start <= left + 4 &&
          !MARKER_RUN.test(line.runs[0].text) &&
          line.runs[1].start - line.runs[0].end >= 2
      )
      .map((line) => line.runs[1].start)
    return { left, candidates }
  })
  const global = mode(perPage.flatMap((page) => page.candidates))
  return perPage.map(({ left, candidates }) => ({
    left,
    value: candidates.length >= 2 ? mode(candidates) : candidates.length === 1 ? global : null,
  }))
}

/** Leading runs that spell '件名' (possibly '件' and '名' as two runs); the count of runs, or 0. */
function subjectLabelRuns(runs: Run[]): number {
  let joined = ''
  for (const [index, run] of runs.entries()) {
    joined += normalise(run.text)
    if (joined === '件名') return index + 1
    if (joined.startsWith('件名')) return 0
    if (!'件名'.startsWith(joined)) return 0
  }
  return 0
}

interface TableLine {
  label: string
  value: string
}

export function parsePdfText(text: string): DocumentRow[] {
  const vocabulary = labelVocabulary()
  /**
   * The label so far is a whole known label, `more` does not continue it and `more` begins a
   * known label itself ('担当課' then '目的'): a new row starts.
   */
  const labelComplete = (label: string, more: string) => {
    const key = normalise(label)
    const next = normalise(more)
    const longer = key + next
    return (
      vocabulary.includes(key) &&
      !vocabulary.some((known) => known.startsWith(longer)) &&
      vocabulary.some((known) => known.startsWith(next) || next.startsWith(known))
    )
  }
  const pages = readPages(text)
  const columns = detectColumns(pages)
  const globalValue = mode(columns.map((page) => page.value).filter((v): v is number => v !== null))
  const lines: Array<PdfLine | null> = []
  for (const page of pages) lines.push(...page, null) // a page break ends a block

  const rows: DocumentRow[] = []
  type State = 'cover' | 'table' | 'captions' | 'terms'
  let state: State = 'cover'
  let section = '表紙'
  let annexCount = 0
  let termsCount = 0
  let cover: Array<PdfLine | null> = []
  let terms: ClauseLine[] = []
  let block: TableLine[] = []
  let current: DocumentRow | null = null
  /** Table rows of the current section (captions not counted). */
  let sectionRows = 0
  let subjectSeen = false

  const valueColumn = (line: PdfLine) => columns[line.page].value ?? globalValue
  const threshold = (line: PdfLine) => {
    const value = valueColumn(line)
    return value === null ? Number.POSITIVE_INFINITY : value - 2
  }
  const isLeft = (line: PdfLine) => line.runs[0].start < threshold(line)
  /** A label run at the left and a value run in the value column. */
  const isTableLine = (line: PdfLine) => {
    const limit = threshold(line)
    return (
      line.runs.length >= 2 &&
      line.runs[0].start < limit &&
      !MARKER_RUN.test(line.runs[0].text) &&
      line.runs.some((run) => run.start >= limit) &&
      line.runs.every((run) => run.start >= limit || run.end <= limit + 1)
    )
  }
  const isSubjectRow = (line: PdfLine) => {
    const limit = threshold(line)
    const left = line.runs.filter((run) => run.start < limit)
    return left.length > 0 && left.length === subjectLabelRuns(left)
  }
  /** After ◇/別紙 lines, a 件名 row follows within a few lines: the ◇ lines are captions. */
  const subjectFollows = (from: number) => {
    let seen = 0
    for (let index = from + 1; index < lines.length && seen < 8; index++) {
      const line = lines[index]
      if (!line) continue
      if (isLeft(line) && (looksLikeCaption(line.text) || annexMarker(line.text))) continue
      if (isSubjectRow(line)) return true
      seen++
    }
    return false
  }

  /** The next lines (no blank line between) hold a 件名 row: this value line is its first line. */
  const subjectRowNext = (from: number) => {
    for (let index = from + 1; index < Math.min(lines.length, from + 4); index++) {
      const line = lines[index]
      if (!line) return false
      if (isSubjectRow(line)) return true
    }
    return false
  }

  const splitTableLine = (line: PdfLine): TableLine => {
    const limit = threshold(line)
    if (columns[line.page].value === null) return { label: '', value: line.text } // continuation page
    const left = line.runs.filter((run) => run.start < limit)
    if (left.some((run) => run.end > limit + 3)) return { label: '', value: line.text } // spans both columns
    return {
      label: left.map((run) => run.text.normalize('NFKC')).join(''),
      value: line.runs
        .filter((run) => run.start >= limit)
        .map((run) => run.text.normalize('NFKC'))
        .join(' '),
    }
  }

  const openAnnex = () => {
    annexCount++
    section = `別紙${annexCount}`
    sectionRows = 0
    current = null
  }
  const startRow = (label: string, value: string): DocumentRow => {
    const subject = normalise(label) === '件名'
    // A 件名 row after the overview or after another table's rows starts the next annex.
    if (subject && (section === '事業の概要' || sectionRows > 0)) openAnnex()
    const row: DocumentRow = { kind: subject ? 'subject' : 'row', label, value, section }
    rows.push(row)
    sectionRows++
    current = row
    return row
  }
  const append = (row: DocumentRow, piece: string, field: 'label' | 'value') => {
    if (piece === '') return
    if (field === 'label') row.label += piece
    else row.value += row.value ? `\n${piece}` : piece
  }

  /** One block of table lines (no blank line inside) into rows. */
  const flushBlock = () => {
    if (block.length === 0) return
    let pending: string[] = []
    let row: DocumentRow | null = null
    let labelClosed = false
    for (const line of block) {
      if (line.label) {
        // Rows are normally separated by a blank line; without one, a label line after value-only
        // lines, or after a whole known label, starts the next row.
        if (row && (labelClosed || labelComplete(row.label, line.label))) row = null
        if (row) {
          append(row, line.label, 'label')
        } else {
          // Value lines printed above a label centred in its cell (件名) belong to it.
          row = startRow(line.label, '')
          for (const piece of pending) append(row, piece, 'value')
          pending = []
          labelClosed = false
        }
        append(row, line.value, 'value')
      } else if (row) {
        append(row, line.value, 'value')
        labelClosed = true
      } else {
        pending.push(line.value)
      }
    }
    if (pending.length > 0) {
      const target: DocumentRow = current ?? startRow('', '')
      for (const piece of pending) append(target, piece, 'value')
    }
    block = []
  }

  const coverFragments = (): string[] => {
    const fragments: string[] = []
    let group: PdfLine[] = []
    let boxSeen = false
    const flushGroup = () => {
      const labelAt = group.findIndex((line) => subjectLabelRuns(line.runs) > 0)
      if (labelAt < 0 || boxSeen) {
        fragments.push(...group.map((line) => line.text))
      } else {
        // The 件名 box: the label is printed in the middle of its value lines.
        boxSeen = true
        const labelLine = group[labelAt]
        const count = subjectLabelRuns(labelLine.runs)
        fragments.push('件名')
        group.forEach((line, index) => {
          const runs = index === labelAt ? labelLine.runs.slice(count) : line.runs
          const joined = runs.map((run) => run.text.normalize('NFKC')).join(' ')
          if (joined) fragments.push(joined)
        })
      }
      group = []
    }
    for (const line of cover) {
      if (line) group.push(line)
      else flushGroup()
    }
    flushGroup()
    return fragments
  }

  const leave = () => {
    flushBlock()
    if (state === 'cover') rows.push(...coverRows(coverFragments()))
    if (state === 'terms') rows.push(...clauseRows(terms, section))
    cover = []
    terms = []
  }

  for (const [index, line] of lines.entries()) {
    if (!line) {
      if (state === 'cover') cover.push(null)
      else flushBlock()
      continue
    }

    if (line.runs.length === 1 && isTermsTitle(line.text)) {
      leave()
      termsCount++
      section = `特記事項${termsCount}`
      state = 'terms'
      current = null
      continue
    }
    if (state !== 'terms' && isOverviewHeading(line.text)) {
      leave()
      section = '事業の概要'
      sectionRows = 0
      state = 'table'
      current = null
      continue
    }
    const marker = isLeft(line) ? annexMarker(line.text) : null
    const caption =
      !marker &&
      isLeft(line) &&
      looksLikeCaption(line.text) &&
      state !== 'cover' &&
      subjectFollows(index)
    const coverCaption =
      !marker &&
      state === 'cover' &&
      line.page > 0 &&
      looksLikeCaption(line.text) &&
      subjectFollows(index)
    if (marker || caption || coverCaption) {
      if (state !== 'captions') {
        leave()
        openAnnex()
        state = 'captions'
      } else {
        flushBlock()
      }
      if (!marker || marker.caption !== null) addCaption(rows, line.text, section)
      continue
    }

    if (state === 'cover') {
      const endsCover = subjectSeen && (isTableLine(line) || isSubjectRow(line)) && line.page > 0
      if (!endsCover) {
        cover.push(line)
        if (subjectLabelRuns(line.runs) > 0) subjectSeen = true
        continue
      }
      leave()
      openAnnex()
      state = 'captions'
    }

    if (state === 'terms') {
      const newTable = isSubjectRow(line) || (!isLeft(line) && subjectRowNext(index))
      if (!newTable) {
        const left = columns[line.page].left
        terms.push({ text: line.text, indented: line.runs[0].start > left + 1 })
        continue
      }
      leave()
      openAnnex()
      state = 'captions'
    }

    if (state === 'captions' && isLeft(line) && !isTableLine(line) && !isSubjectRow(line)) {
      // Text at the left margin before the table: a caption (or the rest of a wrapped one).
      addCaption(rows, line.text, section)
      continue
    }
    if (state === 'captions') state = 'table'
    block.push(splitTableLine(line))
  }
  leave()
  return rows
}
