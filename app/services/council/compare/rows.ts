import { DEFAULT_TEMPLATE_ROWS } from '#enums/document_template'
import { normalise } from '#services/council/compare/normalize'

/**
 * One row of a council document (the unit of comparison; see compare.ts for the definition).
 *
 *   cover    a line of the cover page: 資料 header, title, 内容は別紙のとおり, 条例の根拠, 【…】, ◇ article,
 *            the 担当部課/担当係 contact (one row), labelled by what the line is
 *   subject  a 件名 (the cover's and each annex's), label '件名'
 *   caption  a caption line above an annex table (◇１．… , 別紙（業務委託＝…）)
 *   row      a table row of 事業の概要 or of an annex: label | value
 *   clause   a special-terms clause: label = its （heading） ('' when none is printed),
 *            value = number + body + sub-items
 */
export type RowKind = 'cover' | 'subject' | 'caption' | 'row' | 'clause'

export interface DocumentRow {
  kind: RowKind
  label: string
  value: string
  /** Where the row is: '表紙', '事業の概要', '別紙1', '特記事項1' … (for messages only). */
  section: string
}

/**
 * Row labels known before reading a document: every default label of every template kind
 * (app/enums/document_template.ts) plus the wordings the ward's documents use. Used to find
 * labels in a plain-text extraction where a label and its value are only separated by spaces
 * or line breaks (seed 001); the labels of the PDF being compared are added to these.
 */
const LABEL_VARIANTS = [
  '件名',
  '保有課',
  '担当部課',
  '記録される情報項目(だれの、どのような項目が、どこにコンピュータに記録されるのか)',
  '記録される情報項目(だれの、どのような項目が、どこのコンピュータに記録されるのか)',
  '委託に伴い事業者処理させる情報項目(だれの、どのような項目か)',
  '委託に伴い事業者に処理させる情報項目(だれの、どのような項目か)',
  '委託に伴い事業者に処理させる情報項目等(だれの、どのような項目か、どのようなコンピュータで処理するのか)',
  '委託に伴い事業者処理させる情報項目等(だれの、どのような項目か、どのようなコンピュータで処理するのか)',
  '委託先が収集する項目',
  '委託先に提供する項目',
  '再委託先が収集する項目',
  '再委託先に提供する項目',
  '再委託先に処理させる情報項目等(だれの、どのような項目か、どのようなコンピュータで処理するのか)',
  '受託事業者に行わせる情報保護対策',
  '再委託の承認',
  '委託先の選定方法',
  '記録媒体',
  // Rows some documents add to the overview or an annex (kept as extra rows by the import).
  '委託期間',
  '根拠法令',
  '再委託の有無',
  '備考',
]

export const KNOWN_LABELS: string[] = [
  ...new Set([
    ...Object.values(DEFAULT_TEMPLATE_ROWS).flatMap((rows) => rows.map((row) => row.label)),
    ...LABEL_VARIANTS,
  ]),
]

/** Normalised vocabulary, longest first (so '保有課(担当課)' wins over '保有課'). */
export function labelVocabulary(extra: string[] = []): string[] {
  const labels = new Set<string>()
  for (const label of [...KNOWN_LABELS, ...extra]) {
    const key = normalise(label)
    if (key.length >= 2) labels.add(key)
  }
  return [...labels].sort((a, b) => b.length - a.length)
}

export interface LabelMatch {
  /** The normalised label that matched. */
  label: string
  /** The label as written (fragments joined). */
  written: string
  /** Index of the fragment in which the label ends. */
  last: number
  /** Text after the label in that fragment ('' when the label ends the fragment). */
  rest: string
}

/**
 * Finds a known label at the start of fragments[start] (NFKC text, one printed line each),
 * possibly spread over up to `span` consecutive fragments ('保有課' / '(担当課)'; '件' / '名';
 * '委託にあたり区が行う情報保' / '護対策'). Spaces inside a label are ignored ('目 的'). The label
 * must end at the end of a fragment or before a space, so '目的' does not match '目的外利用…'.
 */
export function matchLabel(
  fragments: string[],
  start: number,
  vocabulary: string[],
  span = 5
): LabelMatch | null {
  const parts: string[] = []
  let joined = ''
  let best: LabelMatch | null = null
  for (let index = start; index < Math.min(fragments.length, start + span); index++) {
    const fragment = fragments[index]
    const before = joined.length
    joined += fragment.replace(/\s+/gu, '')
    parts.push(fragment)
    // The vocabulary is longest first: the first label that fits here is the longest one.
    for (const label of vocabulary) {
      if (label.length <= before || label.length > joined.length) continue
      if (!joined.startsWith(label)) continue
      // The label ends inside this fragment after `label.length - before` non-space characters.
      const end = offsetAfter(fragment, label.length - before)
      const rest = fragment.slice(end)
      if (rest !== '' && !/^\s/u.test(rest)) continue
      if (!best || label.length > best.label.length) {
        best = {
          label,
          written: [...parts.slice(0, -1), fragment.slice(0, end)]
            .map((part) => part.trim())
            .join(''),
          last: index,
          rest: rest.trim(),
        }
      }
      break
    }
    // Go on while a longer label may still be spread over the next lines ('保有課' / '(担当課)').
    if (!vocabulary.some((label) => label.length > joined.length && label.startsWith(joined))) break
  }
  return best
}

/** Position in `text` just after its first `count` non-space characters. */
function offsetAfter(text: string, count: number): number {
  let seen = 0
  // split(''): UTF-16 code units, as label.length counts them
  for (const [index, character] of text.split('').entries()) {
    if (/\s/u.test(character)) continue
    seen++
    if (seen === count) return index + 1
  }
  return text.length
}
