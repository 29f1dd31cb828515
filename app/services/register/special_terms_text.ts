/**
 * Special terms (特記事項) pasted as text: split into numbered clauses, headings and sub-items,
 * and the small rules the pages and the PDF share for printing a clause as written.
 *
 * Pure functions, no database: the preview page and the unit tests call them directly.
 *
 * What a pasted set looks like in real documents (tests/fixtures/special_terms/):
 *   - a title line (特記事項, 特 記 事 項, # 特記事項), skipped;
 *   - headings alone on a line: （秘密の保持） or (秘密の保持), also as **…** or '## …' (Markdown);
 *   - clause lines: a number in half-width or full-width digits (1, １, 10) or 第N条 / 第N, then a
 *     space, a full-width space or nothing, then the text; optionally behind a '- ' bullet;
 *   - sub-items with Japanese legal numbering, kept as written: （1） (1) （１） ⑴ ① 一 ア （ア） (ｱ) ａ …;
 *   - lines wrapped mid-sentence by a PDF extraction (joined to the previous text without a
 *     separator), blank lines and page numbers (- 3 -), ignored.
 */

export interface ParsedClause {
  /** The clause number as a number (第3条 → 3, １ → 1); for a clause written without one, the previous + 1. */
  number: number
  /** The number as written ('1', '１', '第3条'); '' when the text has none. */
  numberLabel: string
  /** Without the parentheses; '' when no heading line precedes the clause (also after a shared heading). */
  heading: string
  /** Without the number; '\n' separates paragraphs (２ … paragraphs of a 第N条 article). */
  body: string
  /** Sub-items as written, marker included ('(1) 思想、…', 'ア …'). */
  items: string[]
}

export interface ParsedClauseSet {
  clauses: ParsedClause[]
  /** Lines that belong to no clause (text before the first clause), for the preview to show. */
  skipped: string[]
}

const SP = '[\\s\\u3000]'
const KANJI_DIGITS = '〇一二三四五六七八九'
const KANJI_NUMBER = '[〇一二三四五六七八九十百]{1,6}'

/**
 * A sub-item marker at the start of an item, with the spaces after it: group 1 is the marker as
 * written. (1) （１） (ｱ) （ア） (a) (ii) ⑴ ① ㋐ 1) 一␣ ア␣ ｱ␣ a␣ a. a) ・ ○ ● ※.
 */
export const ITEM_MARKER = new RegExp(
  '^(' +
    [
      '[（(](?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3}|[ァ-ヶｦ-ﾝ]|[a-zA-Zａ-ｚＡ-Ｚ]|[ivxIVXｉｖｘ]{1,4})[）)]',
      '[①-⑳㉑-㉟㊱-㊿⑴-⒇⒜-⒵㋐-㋾]',
      '[0-9０-９]{1,3}[)）]',
      `[一二三四五六七八九十]{1,3}(?=${SP}|、)`,
      `[ァ-ヶｦ-ﾝ](?=${SP})`,
      `[a-zａ-ｚ](?:[.．)）]|(?=${SP}))`,
      '[・○●※]',
    ].join('|') +
    `)${SP}*`,
  'u'
)

/** A page number line of a PDF extraction: - 3 -, －３－, 3 / 5. */
const PAGE_NUMBER =
  /^(?:[-－‐―—–ー~〜]\s*[0-9０-９]{1,3}\s*[-－‐―—–ー~〜]|[0-9０-９]{1,3}\s*[/／]\s*[0-9０-９]{1,3})$/u

/** 第3条 / 第三条 / 第３ (then the rest of the line). */
const ARTICLE = new RegExp(`^(第(?:([0-9０-９]{1,3})|(${KANJI_NUMBER}))(条)?)(.*)$`, 'u')

/** 3 / ３ / 3. (then the rest of the line). */
const NUMBERED = /^(([0-9０-９]{1,3})[.．]?)(.*)$/u

/** A character that, right after a number, makes it a quantity (1年, 3項, 10%) rather than a clause number. */
const QUANTITY_FOLLOWER =
  /^[0-9０-９年月日時分秒項号条章節款目人名件回個歳才%％割円万億千百十点つ.．,，、:：)）\-－ー~〜/／の]/u

/** （見出し） alone on a line. */
const HEADING = /^[（(]([^（）()]+)[）)]$/u

/** Text inside parentheses that is a sub-item marker, not a heading: （1） （ア） （注）. */
const MARKER_LIKE = /^(?:[0-9０-９]+|[一二三四五六七八九十]+|[ivxIVXｉｖｘ]+|.)$/u

/** Full-width digits to half-width. */
export function halfWidthDigits(text: string): string {
  return text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
}

/** 十二 → 12, 百二十三 → 123, 二〇 → 20. */
export function kanjiNumber(text: string): number {
  if (!/[十百]/.test(text)) {
    return Number([...text].map((char) => KANJI_DIGITS.indexOf(char)).join('')) || 0
  }
  let total = 0
  let digit = 0
  for (const char of text) {
    const value = KANJI_DIGITS.indexOf(char)
    if (value >= 0) digit = value
    else if (char === '十') {
      total += (digit || 1) * 10
      digit = 0
    } else if (char === '百') {
      total += (digit || 1) * 100
      digit = 0
    }
  }
  return total + digit
}

/** A sub-item split into its marker as written and its text; marker '' when the item has none. */
export function splitItemMarker(item: string): { marker: string; text: string } {
  const match = item.match(ITEM_MARKER) ?? item.match(/^([0-9０-９]{1,3}[.．]?)[\s\u3000]+/u)
  return match
    ? { marker: match[1], text: item.slice(match[0].length) }
    : { marker: '', text: item }
}

/**
 * Whether an item starts with a marker of its own: one of ITEM_MARKER, or a paragraph number
 * (２\u3000…, a paragraph of a 第N条 article that follows its 号).
 */
export function hasItemMarker(item: string): boolean {
  return ITEM_MARKER.test(item) || /^[0-9０-９]{1,3}[.．]?[\s\u3000]/u.test(item)
}

/**
 * The items of a clause as printed: as written; an item entered without a marker (the older
 * library stored them bare) gets （n） in front.
 */
export function printedItems(items: string[]): string[] {
  return items.map((item, index) => (hasItemMarker(item) ? item : `（${index + 1}）${item}`))
}

/**
 * The label for position `position` in the style of `label`: '１' → '３', '第1条' → '第3条',
 * '第一条' → '第三条', '1.' → '3.'; '' stays '' (printed as the position anyway).
 */
export function renumberLabel(label: string, position: number): string {
  if (!label) return ''
  const fullWidth = /[０-９]/.test(label)
  const digits = fullWidth
    ? String(position).replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
    : String(position)
  if (new RegExp(`^第${KANJI_NUMBER}`, 'u').test(label)) {
    return label.replace(new RegExp(`^第${KANJI_NUMBER}`, 'u'), `第${toKanji(position)}`)
  }
  return /[0-9０-９]+/.test(label) ? label.replace(/[0-9０-９]+/, digits) : label
}

function toKanji(value: number): string {
  if (value <= 0 || value >= 1000) return String(value)
  const hundreds = Math.floor(value / 100)
  const tens = Math.floor((value % 100) / 10)
  const ones = value % 10
  return (
    (hundreds ? `${hundreds > 1 ? KANJI_DIGITS[hundreds] : ''}百` : '') +
    (tens ? `${tens > 1 ? KANJI_DIGITS[tens] : ''}十` : '') +
    (ones ? KANJI_DIGITS[ones] : '')
  )
}

type Line = { text: string; markdownHeading: boolean }

/** Trims a line and takes off Markdown (## , - , **…**); null for a line to ignore. */
function cleanLine(raw: string): Line | null {
  let text = raw.replace(/\t/g, ' ').trim()
  if (!text || PAGE_NUMBER.test(text)) return null
  let markdownHeading = false
  const heading = text.match(/^#{1,6}\s+(.*)$/u)
  if (heading) {
    text = heading[1]
    markdownHeading = true
  }
  text = text.replace(/^>\s*/u, '')
  // '- ' bullets, also nested ('  - (1) …').
  while (/^[-*+]\s+/u.test(text)) text = text.replace(/^[-*+]\s+/u, '').trim()
  const bold = text.match(/^(\*\*|__)(.+)\1$/u)
  if (bold) text = bold[2].trim()
  text = text.trim()
  return text ? { text, markdownHeading } : null
}

/** 特記事項 / 特 記 事 項 / 個人情報の取扱いに関する特記事項 / 別紙 before the first clause. */
function isTitle(text: string): boolean {
  const compact = text.replace(/[\s\u3000]/g, '')
  if (/^[（(【]?別紙[0-9０-９一二三四五六七八九十]*[）)】]?$/u.test(compact)) return true
  return compact.length <= 40 && !compact.includes('。') && /特記事項[）)】」』]?$/u.test(compact)
}

/** The heading text of a heading line, or null. */
function headingOf(line: Line): string | null {
  const match = line.text.match(HEADING)
  if (match) {
    const inner = match[1].trim()
    if (MARKER_LIKE.test(inner) || /[。「]/.test(inner)) return null
    return inner
  }
  if (line.markdownHeading) return line.text.replace(/^[（(]|[）)]$/gu, '').trim()
  return null
}

interface ClauseStart {
  style: 'article' | 'number'
  number: number
  label: string
  rest: string
  /** A space (or the end of the line) follows the number. */
  separated: boolean
  /** The number alone on its line (its text on the next lines, or a page number). */
  bare: boolean
}

function clauseStartOf(text: string): ClauseStart | null {
  const article = text.match(ARTICLE)
  if (article) {
    const [, label, digits, kanji, jo, rest] = article
    const separated = rest === '' || new RegExp(`^${SP}`, 'u').test(rest)
    // 第3 needs a space (第３\u3000乙は…); 第3条 may run on (第3条乙は…) unless it is 第3条の….
    if (separated || (jo && !/^[のノ項号]/u.test(rest))) {
      return {
        style: 'article',
        number: digits ? Number(halfWidthDigits(digits)) : kanjiNumber(kanji),
        label,
        rest: rest.trim(),
        separated,
        bare: rest.trim() === '',
      }
    }
    return null
  }
  const numbered = text.match(NUMBERED)
  if (numbered) {
    const [, label, digits, rest] = numbered
    const separated = rest === '' || new RegExp(`^${SP}`, 'u').test(rest)
    if (!separated && QUANTITY_FOLLOWER.test(rest)) return null
    return {
      style: 'number',
      number: Number(halfWidthDigits(digits)),
      label,
      rest: rest.trim(),
      separated,
      bare: rest.trim() === '',
    }
  }
  return null
}

/** Splits a pasted clause set into clauses (see the file comment for the forms handled). */
export function parse(text: string): ParsedClauseSet {
  const clauses: ParsedClause[] = []
  const skipped: string[] = []
  let style: ClauseStart['style'] | null = null
  // Casts keep TypeScript from narrowing these to null: the helpers below assign them.
  let pendingHeading = null as string | null
  let current = null as ParsedClause | null
  let last = 0

  // A number alone on a line opens a clause whose text follows; if none follows, it was a page number.
  let bareClause = null as ParsedClause | null
  const dropEmptyBare = () => {
    if (
      bareClause &&
      bareClause === current &&
      !bareClause.body &&
      !bareClause.items.length &&
      !bareClause.heading
    ) {
      clauses.pop()
      current = clauses.at(-1) ?? null
      last = current?.number ?? 0
    }
    bareClause = null
  }
  const open = (number: number, numberLabel: string, body: string, heading?: string) => {
    dropEmptyBare()
    const clause: ParsedClause = {
      number,
      numberLabel,
      heading: heading ?? pendingHeading ?? '',
      body,
      items: [],
    }
    current = clause
    pendingHeading = null
    clauses.push(clause)
    last = number
  }
  // A heading with no clause after it (the set was cut off, or two headings in a row) still
  // opens a clause: the preview shows it with an empty text to fill in.
  const flushHeading = () => {
    if (pendingHeading !== null) open(last + 1, '', '')
  }
  const append = (line: string) => {
    if (!current) return
    if (current.items.length) current.items[current.items.length - 1] += line
    else current.body += line
  }

  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = cleanLine(raw)
    if (!line) continue
    if (clauses.length === 0 && pendingHeading === null && isTitle(line.text)) continue

    const start = clauseStartOf(line.text)
    const heading = start ? null : headingOf(line)
    if (heading !== null) {
      dropEmptyBare()
      flushHeading()
      pendingHeading = heading
      current = null
      continue
    }

    if (start && isNewClause(start, style, last, clauses.length === 0)) {
      style ??= start.style
      let rest = start.rest
      let inlineHeading: string | undefined
      // 第1条（目的）\u3000この契約は…
      const inline =
        start.style === 'article'
          ? rest.match(/^[（(]([^（）()]{2,40})[）)][\s\u3000]*(.*)$/u)
          : null
      if (inline && !MARKER_LIKE.test(inline[1]) && !/[。「]/.test(inline[1])) {
        inlineHeading = inline[1].trim()
        rest = inline[2]
      }
      open(start.number, start.label, rest, inlineHeading ?? pendingHeading ?? '')
      if (start.bare) bareClause = current
      continue
    }
    // A number alone that starts no clause: a page number.
    if (start?.bare) continue

    if (current !== null) {
      const clause: ParsedClause = current
      // In a 第N条 set, ２\u3000… starts a further paragraph of the article (after its 号, it
      // follows them as an item, so that the order is kept).
      if (start && style === 'article' && start.style === 'number' && start.separated) {
        if (clause.items.length) clause.items.push(line.text)
        else clause.body += `\n${line.text}`
        continue
      }
      // In a numbered set, a number that goes backwards (1 …, 2 … inside clause 5) is a sub-item.
      if (
        ITEM_MARKER.test(line.text) ||
        (start && style === 'number' && start.separated && start.number <= last)
      ) {
        clause.items.push(line.text)
        continue
      }
      append(line.text)
      continue
    }

    if (pendingHeading !== null) {
      // A heading followed by unnumbered text: a clause written without a number.
      open(last + 1, '', line.text)
      continue
    }
    skipped.push(line.text)
  }
  dropEmptyBare()
  flushHeading()
  return { clauses, skipped }
}

/**
 * Whether a numbered line starts a clause rather than continuing one: a set keeps the style of
 * its first clause (第N条 or plain numbers); a number run on without a space must be the next
 * one; a spaced number may skip a few (a deleted clause; any number of 第N条) but never goes
 * backwards.
 */
function isNewClause(
  start: ClauseStart,
  style: ClauseStart['style'] | null,
  last: number,
  first: boolean
): boolean {
  if (style !== null && start.style !== style) return false
  if (first) return start.bare ? start.number === 1 : start.separated || start.number === 1
  if (!start.separated || start.bare) return start.number === last + 1
  // 第N条 is unmistakable: any later article; a plain number may skip a few at most.
  return start.number > last && (start.style === 'article' || start.number <= last + 5)
}
