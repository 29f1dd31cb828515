/**
 * The table of data items (記録項目) as the bulk form shows it, and the
 * pasted list it is filled from.
 *
 * Groups: a heading typed on a row applies to that row and the following
 * rows until another heading; a dash (－) ends the group (the following rows
 * have no heading). In the database every item of a group carries the group's
 * heading (data_items.group_heading), so the form shows a heading only on the
 * first row of each run.
 */

/** One row of the form, as typed (all cells are text; nothing validated yet). */
export interface ItemRowCells {
  id: string
  groupHeading: string
  name: string
  note: string
  subjectGroupId: string
  specialCareCategory: string
  prohibitedCategory: string
  remove: boolean
}

/** Cell text that ends a group: the following rows have no heading. */
export const NO_HEADING = '－'
const NO_HEADING_MARKS = new Set(['-', '－', '―', '‐', '—', '–', 'ー', '─'])

export function isNoHeadingMark(value: string | null | undefined): boolean {
  return NO_HEADING_MARKS.has((value ?? '').trim())
}

/** A cell value from the request as text (anything that is not text or a number is shown empty). */
export function cellText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return ''
}

export function isTicked(value: unknown): boolean {
  return (
    value === true ||
    value === 1 ||
    (typeof value === 'string' && ['1', 'true', 'on'].includes(value))
  )
}

export function emptyRow(): ItemRowCells {
  return {
    id: '',
    groupHeading: '',
    name: '',
    note: '',
    subjectGroupId: '',
    specialCareCategory: '',
    prohibitedCategory: '',
    remove: false,
  }
}

/** A submitted row (any shape) as text cells. */
export function rowCells(row: unknown): ItemRowCells {
  const source =
    row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {}
  return {
    id: cellText(source.id),
    groupHeading: cellText(source.groupHeading),
    name: cellText(source.name),
    note: cellText(source.note),
    subjectGroupId: cellText(source.subjectGroupId),
    specialCareCategory: cellText(source.specialCareCategory),
    prohibitedCategory: cellText(source.prohibitedCategory),
    remove: isTicked(source.remove),
  }
}

/** Whether the row carries anything besides a heading (an item to save, or an error to show). */
export function hasItemContent(row: ItemRowCells): boolean {
  return Boolean(
    row.id.trim() ||
    row.name.trim() ||
    row.note.trim() ||
    row.subjectGroupId ||
    row.specialCareCategory ||
    row.prohibitedCategory
  )
}

export function isBlankRow(row: ItemRowCells): boolean {
  return !hasItemContent(row) && !row.groupHeading.trim()
}

/** The heading each row belongs to, following the typed heading cells down the table. */
export function effectiveHeadings(cells: Array<string | null | undefined>): Array<string | null> {
  let current: string | null = null
  return cells.map((cell) => {
    const text = (cell ?? '').trim()
    if (isNoHeadingMark(text)) current = null
    else if (text) current = text
    return current
  })
}

/** Heading cells for rows whose headings are known: shown on the first row of each run only. */
export function headingCells(headings: Array<string | null>): string[] {
  let previous: string | null = null
  return headings.map((heading) => {
    const cell = heading === previous ? '' : (heading ?? NO_HEADING)
    previous = heading
    return cell
  })
}

/**
 * Tidies a table typed in the form: every row keeps the group it is in,
 * heading-only rows become the heading of the next row, blank rows go.
 */
export function normaliseRows(rows: ItemRowCells[]): ItemRowCells[] {
  const headings = effectiveHeadings(rows.map((row) => row.groupHeading))
  const kept = rows
    .map((row, index) => ({ row, heading: headings[index] }))
    .filter(({ row }) => hasItemContent(row))
  const cells = headingCells(kept.map(({ heading }) => heading))
  return kept.map(({ row }, index) => ({ ...row, groupHeading: cells[index] }))
}

/** Moves a row one place up or down; every row keeps its group. */
export function moveRow(
  rows: ItemRowCells[],
  index: number,
  direction: 'up' | 'down'
): ItemRowCells[] {
  const target = direction === 'up' ? index - 1 : index + 1
  if (index < 0 || index >= rows.length || target < 0 || target >= rows.length) return rows
  const headings = effectiveHeadings(rows.map((row) => row.groupHeading))
  const order = rows.map((row, i) => ({ row, heading: headings[i] }))
  ;[order[index], order[target]] = [order[target], order[index]]
  const cells = headingCells(order.map(({ heading }) => heading))
  return order.map(({ row }, i) => ({ ...row, groupHeading: cells[i] }))
}

/** One item of a pasted list, with the heading of its group (null = none). */
export interface PastedItem {
  groupHeading: string | null
  name: string
  note: string
}

export interface PastedList {
  items: PastedItem[]
  headings: number
}

const OPENING = '（(「『【［[〔｛{＜<《'
const CLOSING = '）)」』】］]〕｝}＞>》'

/** Splits at 、 and ， outside brackets: 「カテゴリー(不審者情報、事件情報)」 stays one item. */
function splitItems(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of text) {
    if (OPENING.includes(char)) depth++
    else if (CLOSING.includes(char) && depth > 0) depth--
    if ((char === '、' || char === '，') && depth === 0) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts.map(stripMarker).filter(Boolean)
}

/** Bullets and list numbers in front of an item: ・氏名, ● 氏名, 1. 氏名, （1）氏名, ① 氏名. */
const MARKER =
  /^(?:[・･•●○◯■□◆◇▪▫*＊\-‐－]+|[①-⑳㉑-㉟㊱-㊿]|[（(][0-9０-９]{1,3}[）)]|[0-9０-９]{1,3}[.．)）](?![0-9０-９])|[0-9０-９]{1,3}(?=[\s\u3000]))[\s\u3000]*/

function stripMarker(text: string): string {
  return text.trim().replace(MARKER, '').trim()
}

/** 【申請者】, 〔代理人〕 … written alone on a line. */
const BRACKETED = /^(?:【[^】]*】|〔[^〕]*〕|［[^］]*］|＜[^＞]*＞|《[^》]*》)$/
/** 【申請者】氏名、住所: a heading followed by its items on the same line. */
const BRACKETED_LEAD = /^(【[^】]*】)[\s\u3000]*(.+)$/
/** 申請者：氏名、住所 (a short lead ending with ：, then a list). */
const COLON_LEAD = /^([^、，：:]{1,40}[：:])[\s\u3000]*(.+[、，].+)$/

function isHeadingLine(line: string): boolean {
  return BRACKETED.test(line) || /[：:]$/.test(line)
}

/**
 * Parses a pasted list: one item per line, or several separated by 、; cells
 * of a spreadsheet (tab) are name and note; lines like 【…】 or ending with
 * ： are group headings (kept as written). Nothing is saved.
 */
export function parsePastedList(text: string): PastedList {
  const items: PastedItem[] = []
  let heading: string | null = null
  let headings = 0
  const startGroup = (value: string) => {
    heading = value
    headings++
  }
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/[ \u3000]+$/u, '').replace(/^[ \u3000]+/u, '')
    if (!line.trim()) continue
    // Cells copied from a spreadsheet (name<TAB>note, a trailing tab when the note is empty): a cell's 、 stays in the name.
    if (line.includes('\t')) {
      const [first, ...rest] = line.split('\t').map((cell) => cell.trim())
      const note = rest.filter(Boolean).join(' ')
      if (!note && isHeadingLine(first)) {
        startGroup(first)
        continue
      }
      items.push({ groupHeading: heading, name: stripMarker(first), note })
      continue
    }
    const trimmed = line.trim()
    if (isHeadingLine(trimmed)) {
      startGroup(trimmed)
      continue
    }
    const lead = trimmed.match(BRACKETED_LEAD) ?? trimmed.match(COLON_LEAD)
    if (lead) {
      startGroup(lead[1])
      for (const name of splitItems(lead[2])) items.push({ groupHeading: heading, name, note: '' })
      continue
    }
    for (const name of splitItems(trimmed)) items.push({ groupHeading: heading, name, note: '' })
  }
  return { items, headings }
}

/**
 * The table after a paste: 'append' adds the pasted items after the rows;
 * 'replace' makes the pasted list the table, reusing an existing item of the
 * same name (it keeps its 対象者 and categories, and its note unless the
 * paste has one) and ticking the others for removal.
 */
export function withPastedItems(
  rows: ItemRowCells[],
  pasted: PastedItem[],
  mode: 'append' | 'replace'
): ItemRowCells[] {
  const current = normaliseRows(rows)
  const currentHeadings = effectiveHeadings(current.map((row) => row.groupHeading))
  const entries: Array<{ row: ItemRowCells; heading: string | null }> = []
  if (mode === 'append') {
    current.forEach((row, index) => entries.push({ row, heading: currentHeadings[index] }))
    for (const item of pasted)
      entries.push({
        row: { ...emptyRow(), name: item.name, note: item.note },
        heading: item.groupHeading,
      })
  } else {
    const existing = current.filter((row) => row.id.trim())
    const used = new Set<ItemRowCells>()
    for (const item of pasted) {
      const match = existing.find((row) => !used.has(row) && row.name.trim() === item.name)
      if (match) used.add(match)
      const row = match
        ? { ...match, note: item.note || match.note, remove: false }
        : { ...emptyRow(), name: item.name, note: item.note }
      entries.push({ row, heading: item.groupHeading })
    }
    existing
      .filter((row) => !used.has(row))
      .forEach((row) => entries.push({ row: { ...row, remove: true }, heading: null }))
  }
  const cells = headingCells(entries.map(({ heading }) => heading))
  return entries.map(({ row }, index) => ({ ...row, groupHeading: cells[index] }))
}

/** Stored items as rows of the form (headings on the first row of each group). */
export function rowsFromItems(
  items: Array<{
    id: number
    groupHeading: string | null
    name: string
    note: string | null
    subjectGroupId: number | null
    specialCareCategory: string | null
    prohibitedCategory: string | null
  }>
): ItemRowCells[] {
  const cells = headingCells(items.map((item) => item.groupHeading?.trim() || null))
  return items.map((item, index) => ({
    id: String(item.id),
    groupHeading: cells[index],
    name: item.name,
    note: item.note ?? '',
    subjectGroupId: item.subjectGroupId ? String(item.subjectGroupId) : '',
    specialCareCategory: item.specialCareCategory ?? '',
    prohibitedCategory: item.prohibitedCategory ?? '',
    remove: false,
  }))
}

/** Stored items in groups (a group = consecutive items with the same heading; null = no heading). */
export function groupItems<T extends { groupHeading: string | null }>(
  items: T[]
): Array<{ heading: string | null; items: T[] }> {
  const groups: Array<{ heading: string | null; items: T[] }> = []
  for (const item of items) {
    const heading = item.groupHeading?.trim() || null
    const last = groups[groups.length - 1]
    if (last && last.heading === heading) last.items.push(item)
    else groups.push({ heading, items: [item] })
  }
  return groups
}
