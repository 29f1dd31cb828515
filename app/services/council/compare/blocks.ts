import { matchLabel, type DocumentRow } from '#services/council/compare/rows'
import { normalise } from '#services/council/compare/normalize'

/**
 * Building blocks shared by the reference parser and the PDF parser: cover lines, markers that
 * start a section (事業の概要, 別紙, captions, 特記事項) and special-terms clauses.
 * All functions take NFKC text (one printed line per fragment).
 */

const SUBJECT_VOCABULARY = ['件名']

/** What a cover line is, by how it starts; a line matching none continues the previous one. */
const COVER_LINES: Array<[RegExp, string]> = [
  [/審議会|諮問・報告事項/u, '表題'],
  [/^(?:令和|平成|昭和)\s*[0-9元]+\s*年度|^資料\s*[0-9]/u, '資料'],
  [/^内容は/u, '内容'],
  [/^条例の根拠/u, '条例の根拠'],
  [/^【[^】]*】/u, '区分'],
  [/^◇|^第\s*[0-9]+\s*条/u, '条項'],
  [/^[（(]\s*担当部課/u, '担当部課'],
  [/^担当係/u, '担当部課'],
]

/**
 * Cover rows from the cover's lines: 件名 (label possibly spread over lines, value up to the next
 * known line), then one row per known line (資料, 表題, 内容, 条例の根拠, 【区分】, ◇条項, 担当部課).
 * A line that starts like none of them continues the row before it (a wrapped line); the
 * （担当部課：…） line and the 担当係 line form one row.
 */
export function coverRows(fragments: string[], section = '表紙'): DocumentRow[] {
  const rows: DocumentRow[] = []
  let current: DocumentRow | null = null
  for (let index = 0; index < fragments.length; index++) {
    const text = fragments[index].trim()
    if (text === '') continue
    const subject = matchLabel(fragments, index, SUBJECT_VOCABULARY)
    if (subject) {
      current = { kind: 'subject', label: '件名', value: subject.rest, section }
      rows.push(current)
      index = subject.last
      continue
    }
    const label = COVER_LINES.find(([pattern]) => pattern.test(text))?.[1]
    if (label === '担当部課' && current?.label === '担当部課' && /^担当係/u.test(text)) {
      current.value += `\n${text}`
    } else if (label) {
      current = { kind: 'cover', label, value: text, section }
      rows.push(current)
    } else if (current) {
      current.value += current.value ? `\n${text}` : text
    } else {
      current = { kind: 'cover', label: '', value: text, section }
      rows.push(current)
    }
  }
  return rows
}

/** '事業の概要' heading. */
export function isOverviewHeading(text: string): boolean {
  return normalise(text) === '事業の概要'
}

/** The special-terms title: '特記事項', '特 記 事 項', '# 特記事項', '再委託に係る特記事項' … */
export function isTermsTitle(text: string): boolean {
  const key = normalise(text).replace(/^#+/, '')
  if (/[「」『』。、]/u.test(key)) return false
  return /^.{0,15}特記事項.{0,15}$/u.test(key) && !/^[0-9]/.test(key)
}

/**
 * An annex marker line: '別紙', '別紙1', '別紙２', '別記' (no row: the product numbers its annexes)
 * or '別紙（業務委託＝…）' (a caption row). '別紙のとおり' or '別紙「特記事項」を付す' are not markers.
 */
export function annexMarker(text: string): { caption: string | null } | null {
  const trimmed = text.trim()
  const key = normalise(trimmed).replace(/^#+/, '')
  if (/^別[紙記][0-9]*(?:-[0-9]+)?$/u.test(key)) return { caption: null }
  if (/^別[紙記][0-9]*(?:-[0-9]+)?[（(]/u.test(key))
    return { caption: trimmed.replace(/^#+\s*/u, '') }
  return null
}

/**
 * Adds a caption line to `rows`: a line that starts like a caption (◇, ◆, ■, 【, 別紙, '1.')
 * is a caption of its own; any other line continues the caption before it in the same
 * section (a caption printed over two lines), or is a caption of its own when there is none.
 */
export function addCaption(rows: DocumentRow[], text: string, section: string): void {
  const previous = rows[rows.length - 1]
  const startsOwn = /^(?:[◇◆■□●○【]|別紙|[0-9]+[.．])/u.test(text.trim())
  if (!startsOwn && previous?.kind === 'caption' && previous.section === section) {
    previous.value += `\n${text.trim()}`
    return
  }
  rows.push({ kind: 'caption', label: '', value: text.trim(), section })
}

/** A ◇ caption candidate (a caption only when a 件名 follows it). */
export function looksLikeCaption(text: string): boolean {
  return /^◇/u.test(text.trim())
}

/** True when fragments[index] begins the 件名 label (possibly '件' / '名' on two lines). */
export function startsSubject(fragments: string[], index: number): boolean {
  return matchLabel(fragments, index, SUBJECT_VOCABULARY) !== null
}

/** Clause heading line: '（秘密の保持）', '(基本的事項)'. */
export function isClauseHeading(text: string): boolean {
  return /^[（(][^()（）]{1,40}[)）]$/u.test(normalise(text))
}

const KANJI_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
}

function kanjiNumber(text: string): number {
  let total = 0
  let digit = 0
  for (const ch of text) {
    if (ch === '百') {
      total += (digit || 1) * 100
      digit = 0
    } else if (ch === '十') {
      total += (digit || 1) * 10
      digit = 0
    } else {
      digit = KANJI_DIGITS[ch] ?? 0
    }
  }
  return total + digit
}

/** The number a clause line starts with ('1 乙は…', '第3条 乙は…'), or null. */
export function clauseNumber(text: string): number | null {
  const trimmed = text.trim()
  const article = trimmed.match(/^第\s*([0-9]+|[一二三四五六七八九十百]+)\s*条(?=\s|$)/u)
  if (article) return /^[0-9]+$/.test(article[1]) ? Number(article[1]) : kanjiNumber(article[1])
  // '3 乙は…', or '3' alone on its line with the body on the next (a reading-order extraction).
  const plain = trimmed.match(/^([0-9]+)(?:\s+\S|$)/u)
  return plain ? Number(plain[1]) : null
}

export interface ClauseLine {
  text: string
  /** Printed indented (a sub-item), so never a new clause (PDF only). */
  indented?: boolean
}

/**
 * Clause rows of one special-terms set. A clause starts at a line beginning with its number
 * (greater than the previous clause's, by at most 5: a wrapped line starting with a number
 * does not start a clause); a （heading） line labels the clause after it; every other line
 * (body continued over a line or page break, sub-items (1)…) belongs to the current clause.
 */
export function clauseRows(lines: ClauseLine[], section: string): DocumentRow[] {
  const rows: DocumentRow[] = []
  let heading: string | null = null
  let current: DocumentRow | null = null
  let previous: number | null = null
  for (const line of lines) {
    const text = line.text.trim()
    if (text === '') continue
    if (isClauseHeading(text)) {
      if (heading !== null) rows.push({ kind: 'clause', label: heading, value: '', section })
      heading = text
      current = null
      continue
    }
    const number = line.indented ? null : clauseNumber(text)
    const startsClause =
      number !== null && (previous === null || (number > previous && number <= previous + 5))
    if (startsClause || !current || heading !== null) {
      current = { kind: 'clause', label: heading ?? '', value: text, section }
      rows.push(current)
      heading = null
      if (number !== null && startsClause) previous = number
      continue
    }
    current.value += `\n${text}`
  }
  if (heading !== null) rows.push({ kind: 'clause', label: heading, value: '', section })
  return rows
}
