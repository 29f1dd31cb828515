import { stripHtml } from '#services/council/compare/normalize'
import type { StartsOnPrecision } from '#enums/contracts'

/**
 * How the values of a council document are written, read back into the register's shape:
 * a table cell's lines (HTML paragraphs and list items, or a PDF extraction's wrapped lines),
 * numbered entries, comma-separated items, Japanese-era dates. Pure functions.
 */

/** The lines of a cell: one per <p>/<li>/<br> in HTML, one per line otherwise; blank lines dropped. */
export function cellLines(value: string): string[] {
  const withBreaks = value
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|li|ul|ol|div|tr|table|h[1-6])(?:\s[^<>]*)?>/gi, '\n')
  return stripHtml(withBreaks)
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/u, '').replace(/^[ \t]+/u, ''))
    .filter((line) => line.trim() !== '')
}

/** A line that ends a sentence or a paragraph: the next line starts a new one. */
const ENDS_PARAGRAPH = /[。．.」）)】]$|^[・○◇◆■□●※【]|^[0-9０-９]+[\s\u3000.．、]/u

/**
 * Paragraphs of a cell. In HTML every <p>/<li> is one; in a PDF extraction a line that does not
 * end a sentence continues on the next line (the PDF wrapped it), so the two are joined.
 */
export function paragraphs(value: string, wrapped: boolean): string[] {
  const lines = cellLines(value)
  if (!wrapped) return lines
  const joined: string[] = []
  let open = false
  for (const line of lines) {
    if (open && joined.length > 0 && !startsEntry(line)) {
      joined[joined.length - 1] += line.trim()
    } else {
      joined.push(line.trim())
    }
    open = !ENDS_PARAGRAPH.test(line.trim())
  }
  return joined
}

/** A line that opens a list entry: a number, a circled number, a bullet or a bracketed heading. */
export function startsEntry(line: string): boolean {
  return ENTRY_MARKER.test(line.trim())
}

const ENTRY_MARKER =
  /^(?:[0-9０-９]+(?:[\s\u3000]|[.．、)）](?![0-9０-９]))|[（(][0-9０-９一二三四五六七八九十ア-ン]+[)）]|[\u2460-\u2473\u3251-\u325F\u32B1-\u32BF]|[・○◇◆■□●※【])/u

/**
 * Entries of a numbered or bulleted list as written: an entry starts at a marked line and takes
 * the unmarked lines after it (joined as paragraphs: \n in HTML, directly when the PDF wrapped).
 */
export function entries(value: string, wrapped: boolean): string[] {
  const result: string[] = []
  for (const line of cellLines(value)) {
    if (result.length === 0 || startsEntry(line)) {
      result.push(line.trim())
    } else {
      result[result.length - 1] += wrapped ? line.trim() : `\n${line.trim()}`
    }
  }
  return result
}

const DIGIT_MAP = (text: string) =>
  text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))

/** The number an entry starts with in the style `style` numbers ('1 ' / '１\u3000' / '①' / '(1)'), with the rest. */
export function leadingNumber(
  entry: string
): { number: number; rest: string; marker: string } | null {
  const text = entry.replace(/^[\s\u3000]+/u, '')
  const plain = text.match(/^([0-9０-９]+)(?:[\s\u3000]+|[.．、](?![0-9０-９])[\s\u3000]*)/u)
  if (plain)
    return {
      number: Number(DIGIT_MAP(plain[1])),
      rest: text.slice(plain[0].length),
      marker: plain[0],
    }
  const paren = text.match(/^[（(]([0-9０-９]+)[)）][\s\u3000]*/u)
  if (paren)
    return {
      number: Number(DIGIT_MAP(paren[1])),
      rest: text.slice(paren[0].length),
      marker: paren[0],
    }
  const circled = text.match(/^([\u2460-\u2473])[\s\u3000]*/u)
  if (circled)
    return {
      number: circled[1].codePointAt(0)! - 0x2460 + 1,
      rest: text.slice(circled[0].length),
      marker: circled[0],
    }
  return null
}

/**
 * Entries numbered 1, 2, 3 … in order, without their numbers; null when they are not (a list
 * whose numbers the document wrote otherwise is kept as written).
 */
export function withoutNumbers(list: string[]): string[] | null {
  if (list.length === 0) return []
  const stripped: string[] = []
  for (const [index, entry] of list.entries()) {
    const number = leadingNumber(entry)
    if (!number || number.number !== index + 1 || number.rest.trim() === '') return null
    stripped.push(number.rest)
  }
  return stripped
}

/** Splits at 、 (or at spaces when `spaces`) outside brackets. */
export function splitOutsideBrackets(text: string, spaces = false): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const character of text) {
    if ('(（「『【［['.includes(character)) depth++
    if (')）」』】］]'.includes(character)) depth = Math.max(0, depth - 1)
    const separates =
      depth === 0 && (character === '、' || (spaces && /[\s\u3000]/u.test(character)))
    if (separates) {
      if (current.trim() !== '') parts.push(current.trim())
      current = ''
    } else {
      current += character
    }
  }
  if (current.trim() !== '') parts.push(current.trim())
  return parts
}

/** An item as written: its name and the bracketed note after it ('住所（必要な場合のみ）'). */
export function itemWithNote(written: string): { name: string; note: string | null } {
  const text = written.trim().replace(/^[・･]/u, '')
  // The bracket group that closes the text, nested brackets included ('電磁的媒体（USBメモリ（暗号化））').
  if (/[)）]$/u.test(text)) {
    let depth = 0
    for (let at = text.length - 1; at > 0; at--) {
      const character = text[at]
      if (character === ')' || character === '）') depth++
      else if (character === '(' || character === '（') depth--
      if (depth === 0) {
        const name = text.slice(0, at).trim()
        return name === '' ? { name: text, note: null } : { name, note: text.slice(at) }
      }
    }
  }
  return { name: text, note: null }
}

const ERAS: Record<string, number> = { 明治: 1868, 大正: 1912, 昭和: 1926, 平成: 1989, 令和: 2019 }

export interface WrittenDate {
  /** YYYY-MM-DD (the 1st of the month when written to the month). */
  iso: string
  precision: StartsOnPrecision
  /** Where the date is in the text, and how long it is as written. */
  index: number
  length: number
}

const DATE_PATTERN =
  /(明治|大正|昭和|平成|令和)[\s\u3000]*([0-9０-９]+|元)[\s\u3000]*年[\s\u3000]*([0-9０-９]+)[\s\u3000]*月(?:[\s\u3000]*([0-9０-９]+)[\s\u3000]*日)?|([0-9０-９]{4})[\s\u3000]*年[\s\u3000]*([0-9０-９]+)[\s\u3000]*月(?:[\s\u3000]*([0-9０-９]+)[\s\u3000]*日)?/gu

/** Every date written in the text (平成25年6月, 令和元年5月1日, 2024年4月1日), in order. */
export function writtenDates(text: string): WrittenDate[] {
  const dates: WrittenDate[] = []
  for (const match of text.matchAll(DATE_PATTERN)) {
    const year = match[1]
      ? ERAS[match[1]] + (match[2] === '元' ? 1 : Number(DIGIT_MAP(match[2]))) - 1
      : Number(DIGIT_MAP(match[5]))
    const month = Number(DIGIT_MAP(match[3] ?? match[6]))
    const dayText = match[1] ? match[4] : match[7]
    const day = dayText ? Number(DIGIT_MAP(dayText)) : 1
    if (month < 1 || month > 12 || day < 1 || day > 31) continue
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
    dates.push({
      iso,
      precision: dayText ? 'day' : 'month',
      index: match.index!,
      length: match[0].length,
    })
  }
  return dates
}

/**
 * The document's own characters for a text the parsers normalised (NFKC turns （１） into (1),
 * ＦＡＱ into FAQ): the text is found in the source, whitespace and width aside, and the source's
 * characters are taken, keeping the text's own whitespace. A text not found is returned as is.
 */
export class AsWritten {
  /** The source without whitespace, in NFKC, one entry per UTF-16 unit, and where each came from. */
  readonly #stream: string
  readonly #origin: number[]
  readonly #source: string
  #cursor = 0

  constructor(source: string) {
    this.#source = source
    let stream = ''
    const origin: number[] = []
    for (let index = 0; index < source.length;) {
      const codePoint = source.codePointAt(index)!
      const character = String.fromCodePoint(codePoint)
      if (!/\s/u.test(character)) {
        const normal = character.normalize('NFKC').replace(/\s+/gu, '')
        for (let unit = 0; unit < normal.length; unit++) origin.push(index)
        stream += normal
      }
      index += character.length
    }
    this.#stream = stream
    this.#origin = origin
  }

  text(value: string): string {
    const key = value.normalize('NFKC').replace(/\s+/gu, '')
    if (key === '') return value
    let at = this.#stream.indexOf(key, this.#cursor)
    if (at < 0) at = this.#stream.indexOf(key)
    if (at < 0) return value
    this.#cursor = at + key.length
    // Walk the value: whitespace as the value has it, every other character from the source.
    let result = ''
    let position = at
    let lastOrigin = -1
    for (const character of value) {
      if (/\s/u.test(character)) {
        result += character
        continue
      }
      const normal = character.normalize('NFKC').replace(/\s+/gu, '')
      for (let unit = 0; unit < normal.length; unit++) {
        const origin = this.#origin[position++]
        if (origin === undefined) return value
        if (origin !== lastOrigin) {
          result += String.fromCodePoint(this.#source.codePointAt(origin)!)
          lastOrigin = origin
        }
      }
    }
    return result.normalize('NFKC').replace(/\s+/gu, '') === key ? result : value
  }
}
