import type { NumberingStyle, RowOverrides, TemplateRow } from '#enums/document_template'

/** A register value as the builder hands it over: text, lines, or nothing. */
export type RowValue = string | string[] | null | undefined

/** One printed row of an annex table (or of the overview). */
export interface LaidOutRow {
  key: string
  label: string
  value: string | string[]
}

/**
 * A row a real document has that the template does not model (根拠法令, 委託先の選定方法,
 * 実施時期, 再委託の有無, 備考 …), entered per item as written. `after` is the key of the
 * template row it follows: '' = at the end, '^' = first.
 */
export interface ExtraRow {
  label: string
  value: string
  after: string
}

/** `after` of an extra row printed before every template row. */
export const EXTRA_ROW_FIRST = '^'

const SPACE = '[\\s\\u3000]'
const DIGITS = '[0-9０-９]+'
const KANJI_NUMBER = '[一二三四五六七八九十百千〇]+'
const KANA = '[ァ-ヶｦ-ﾝ]'
const HIRAGANA = '[ぁ-ん]'
const LATIN = '[a-zA-Zａ-ｚＡ-Ｚ]'
const ROMAN = '[\\u2160-\\u2188]+'

/**
 * A line that already starts with a marker (after any leading half- or
 * full-width spaces). The forms, first match wins:
 *
 * 1. a bullet or sign: ・ ･ • ● ◎ ◇ ◆ □ ■ △ ▲ ▽ ▼ ☆ ★ ※ ＊ * 【 〔 ［ [ 〈 《 ＜ < ＞ >
 *    → ⇒ ➢ ► ▶ ✓ ✔ - － ‐ – — ― ＋ + ＃ #, or ○ ◯ 〇 not followed by another (○○課 is a
 *    placeholder name, not a bullet)
 * 2. an enclosed number or letter: ①…⑳ ⑴…⒇ ⒈…⒛ ⒜…⒵ Ⓐ…ⓩ ⓪ ⓫…⓾ (U+2460–24FF), ❶…➓
 *    (U+2776–2793), ㉑…㉟ ㊱…㊿, ㈠…㈩, ㊀…㊉, or a Roman numeral Ⅰ…ⅿ (U+2160–2188)
 * 3. a number (half- or full-width digits) followed by a space, 、 ， , ） ) ： : or a full stop
 *    that is not a decimal point (1 / １\u3000/ 1. / １． / 1) / １）); also 1-1 / 1.2 / １－２ followed
 *    by a space, a full stop or a closing parenthesis
 * 4. a parenthesised number, kanji numeral, single kana or single letter, Roman numeral or 注:
 *    (1) （１） (一) （ア） (ｲ) (a) （ⅰ） (iv) （注）（注1）
 * 5. a single kana or letter, or a kana/latin/digit closed by a parenthesis: ア） a) イ)
 * 6. a kanji numeral, single katakana or single letter followed by a space, 、 or a full stop:
 *    一\u3000 二、 ア\u3000 イ． a.  A．
 * 7. 第N条 / 第N項 / 第N号 / 第N章 / 第N節 / 第N款 / 第N目 (digits or kanji numerals)
 * 8. 注 or 注1 followed by a space, a colon, a full stop or a closing parenthesis
 *
 * Anything else (including a line starting with 「, a word, or a number that
 * is part of the text such as 2024年度 or 1.5倍) is plain and gets numbered.
 */
const MARKER_PATTERNS: RegExp[] = [
  /^[・･•‣●◎◇◆□■△▲▽▼☆★※＊*【〔［\[〈《＜<＞>→⇒➢►▶✓✔\-－‐‑–—―＋+＃#]/u,
  /^[○◯〇](?![○◯〇])/u,
  /^[\u2460-\u24FF\u2776-\u2793\u3251-\u325F\u32B1-\u32BF\u3220-\u3229\u3280-\u3289\u2160-\u2188]/u,
  new RegExp(`^${DIGITS}(?:${SPACE}|[、，,）):：]|[.．](?![0-9０-９]))`, 'u'),
  new RegExp(`^${DIGITS}(?:[-－‐.．]${DIGITS})+(?:${SPACE}|[.．）)])`, 'u'),
  new RegExp(
    `^[（(]${SPACE}*(?:${DIGITS}|${KANJI_NUMBER}|${KANA}|${HIRAGANA}|${LATIN}|${ROMAN}|[ivxIVX]{1,5}|注(?:${DIGITS})?)${SPACE}*[）)]`,
    'u'
  ),
  new RegExp(`^(?:${KANA}|${HIRAGANA}|${LATIN})[）)]`, 'u'),
  new RegExp(`^(?:${KANJI_NUMBER}|${KANA}|${LATIN})(?:${SPACE}|[、.．])`, 'u'),
  new RegExp(`^第(?:${DIGITS}|${KANJI_NUMBER})[条項号章節款目]`, 'u'),
  new RegExp(`^注(?:${DIGITS})?(?:${SPACE}|[:：.．）)])`, 'u'),
]

const LEADING_SPACE = /^[\s\u3000]+/u

const toFullWidth = (text: string) =>
  text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0))

/** ① for 1 … ⑳ for 20, ㉑ … ㊿ for 21 … 50, then (51). */
function circled(n: number): string {
  if (n >= 1 && n <= 20) return String.fromCodePoint(0x2460 + n - 1)
  if (n >= 21 && n <= 35) return String.fromCodePoint(0x3251 + n - 21)
  if (n >= 36 && n <= 50) return String.fromCodePoint(0x32b1 + n - 36)
  return `(${n})`
}

function isEmpty(value: RowValue): boolean {
  if (value === null || value === undefined) return true
  if (Array.isArray(value))
    return value.every((part) => part === null || part === undefined || String(part).trim() === '')
  return String(value).trim() === ''
}

/**
 * Template rows to printed rows, and the numbering of plain lists. Pure
 * functions: the council document builder hands in the template (from
 * DocumentTemplate), the register values and the annex's overrides.
 */
export default class TemplateRows {
  /**
   * The rows to print, in template order: the label is the annex's override
   * (when not blank) or the template's; a row the override hides is left out;
   * a row whose value is empty ('' / [] / null / undefined / only whitespace,
   * or a key missing from `values`) is left out unless the template says it is
   * always printed, then it prints with ''. Overrides of keys the template
   * does not have are ignored. Values are returned as given (not trimmed).
   */
  static layout(
    rows: TemplateRow[],
    values: Record<string, RowValue>,
    overrides: RowOverrides = {}
  ): LaidOutRow[] {
    const printed: LaidOutRow[] = []
    for (const row of rows) {
      const override = Object.prototype.hasOwnProperty.call(overrides ?? {}, row.key)
        ? overrides[row.key]
        : undefined
      if (override?.hidden) continue
      const value = Object.prototype.hasOwnProperty.call(values, row.key)
        ? values[row.key]
        : undefined
      const empty = isEmpty(value)
      if (empty && !row.always) continue
      const label =
        typeof override?.label === 'string' && override.label.trim() !== ''
          ? override.label
          : row.label
      printed.push({ key: row.key, label, value: empty ? '' : (value as string | string[]) })
    }
    return printed
  }

  /**
   * Inserts an item's extra rows into the laid-out rows: after the row whose key is `after`
   * ('^' = before all rows, '' = at the end). Several rows after the same key keep the order
   * they were entered in. When the row they follow is not printed (empty, hidden), they follow
   * the closest printed row before it in `templateKeys` order (first when there is none); a
   * key the template does not have puts the row at the end. A row with neither label nor value
   * is ignored. The value prints as written (its key is 'extra:<n>', n its place in the list).
   */
  static withExtraRows(
    rows: LaidOutRow[],
    extraRows: ExtraRow[] | null | undefined,
    templateKeys: string[] = []
  ): LaidOutRow[] {
    const extras = (Array.isArray(extraRows) ? extraRows : [])
      .map((extra, index) => ({ extra, index }))
      .filter(
        ({ extra }) =>
          extra &&
          (String(extra.label ?? '').trim() !== '' || String(extra.value ?? '').trim() !== '')
      )
    if (extras.length === 0) return rows
    const printedKeys = new Set(rows.map((row) => row.key))
    /** The printed key an extra row follows: '^', a printed key, or '' (the end). */
    const anchorOf = (after: string): string => {
      if (after === EXTRA_ROW_FIRST || printedKeys.has(after)) return after
      const at = templateKeys.indexOf(after)
      if (at < 0) return ''
      for (let index = at - 1; index >= 0; index--)
        if (printedKeys.has(templateKeys[index])) return templateKeys[index]
      return EXTRA_ROW_FIRST
    }
    const byAnchor = new Map<string, LaidOutRow[]>()
    for (const { extra, index } of extras) {
      const anchor = anchorOf(String(extra.after ?? ''))
      const list = byAnchor.get(anchor) ?? []
      list.push({
        key: `extra:${index}`,
        label: String(extra.label ?? ''),
        value: String(extra.value ?? ''),
      })
      byAnchor.set(anchor, list)
    }
    const result: LaidOutRow[] = [...(byAnchor.get(EXTRA_ROW_FIRST) ?? [])]
    for (const row of rows) {
      result.push(row)
      if (row.key !== '' && row.key !== EXTRA_ROW_FIRST)
        result.push(...(byAnchor.get(row.key) ?? []))
    }
    result.push(...(byAnchor.get('') ?? []))
    return result
  }

  /**
   * Numbers the plain lines of a list in the given style: halfwidth '1 ',
   * fullwidth '１\u3000', circled '①' (㉑…㊿ past 20, '(51)' past 50), paren
   * '(1)', none: unchanged. A line that starts with a marker (see
   * `isMarked`) is kept exactly as written and takes no number; so is an
   * empty line. Plain lines are numbered 1, 2, 3… in order of appearance,
   * their leading spaces dropped. Never drops or reorders a line.
   */
  static number(lines: string[], style: NumberingStyle): string[] {
    const prefix = TemplateRows.#prefixer(style)
    if (!prefix) return [...lines]
    let counter = 0
    return lines.map((line) => {
      const text = String(line ?? '')
      if (text.trim() === '' || TemplateRows.isMarked(text)) return text
      counter++
      return prefix(counter) + text.replace(LEADING_SPACE, '')
    })
  }

  /** Whether a line already starts with a marker (the rule is documented on MARKER_PATTERNS). */
  static isMarked(line: string): boolean {
    const text = String(line ?? '').replace(LEADING_SPACE, '')
    return MARKER_PATTERNS.some((pattern) => pattern.test(text))
  }

  /** The marker of number n in a style ('' for none). */
  static marker(n: number, style: NumberingStyle): string {
    return TemplateRows.#prefixer(style)?.(n) ?? ''
  }

  static #prefixer(style: NumberingStyle): ((n: number) => string) | null {
    switch (style) {
      case 'halfwidth':
        return (n) => `${n} `
      case 'fullwidth':
        return (n) => `${toFullWidth(String(n))}\u3000`
      case 'circled':
        return circled
      case 'paren':
        return (n) => `(${n})`
      default:
        return null
    }
  }
}
