import { annexMarker, isOverviewHeading, isTermsTitle } from '#services/council/compare/blocks'
import { isElision, normalise, stripMarkdownLine } from '#services/council/compare/normalize'
import type { DocumentRow } from '#services/council/compare/rows'

/**
 * Which lines of an imported source text the document made from the draft uses: the review
 * screen highlights the lines it does not (text the reader could not place, attachments such as
 * '# 付属資料1', a line the officer's corrections dropped), so nothing is lost unnoticed.
 *
 * A line is compared in the comparison form (compare/normalize.ts: markdown decoration removed,
 * NFKC, HTML tags and every space removed, so a tab-separated 'label<TAB>value' line is label and
 * value concatenated) with the stream of the document's rows (label + value of each row, in
 * order). The lines are matched in order: of all the places each line's text occurs in the
 * stream, the chain of places that keeps the lines in order and covers the most text wins (a
 * weighted longest increasing chain), so a short line that also occurs far ahead cannot pull the
 * others out of place. A line left out of the chain is still used when its text is in the
 * document elsewhere (rows printed in another order than the source's): anywhere when it is
 * long enough to be unambiguous, otherwise near the place the previous line matched.
 *
 * Structural lines are neither used nor unused (not highlighted, not counted): blank lines,
 * markdown table separators ('----<TAB>---'), page numbers, the elision mark (：：：) and the
 * headings the document prints on its own (事業の概要, 特記事項, a bare 別紙 / 別紙1).
 */

export interface SourceLine {
  /** 1-based line number in the source text. */
  number: number
  /** The line as written (without its line break). */
  text: string
  used: boolean
  structural: boolean
}

export interface LineUsage {
  lines: SourceLine[]
  /** Lines neither used nor structural (the ones highlighted). */
  unused: number
}

/** A line whose text occurs anywhere in the document counts as used from this length on. */
const UNAMBIGUOUS_LENGTH = 8
/** Shorter lines left out of the chain count when found this close to the previous match. */
const NEAR = 400
/** At most this many places are considered for one line (a very short line occurs often). */
const MAX_PLACES = 200

/** '- 3 -', '－３－', '3/8' (always a page number); a bare number only when the document lacks it. */
const PAGE_NUMBER = /^[-－‐―–]\s*[0-9０-９]+\s*[-－‐―–]$|^[0-9０-９]+\s*\/\s*[0-9０-９]+$/u
const BARE_NUMBER = /^[0-9０-９]+$/u
/** Markdown table separators: '----\t---', '| --- | :-: |', '---'. */
const SEPARATOR = /^[-|:\s\t]+$/u

/** The comparison form of one source line ('' for a line that prints nothing). */
export function lineKey(line: string): string {
  return normalise(stripMarkdownLine(line.replace(/\f/g, '')))
}

/** Structural lines: never part of a row, so never highlighted. */
function isStructural(line: string): boolean {
  const trimmed = line.replace(/\f/g, '').trim()
  if (trimmed === '' || lineKey(trimmed) === '') return true
  if (isElision(trimmed) || PAGE_NUMBER.test(trimmed)) return true
  if (SEPARATOR.test(trimmed) && trimmed.includes('-')) return true
  if (trimmed.includes('\t')) return false
  const clean = stripMarkdownLine(trimmed).trim()
  if (isOverviewHeading(clean) || isTermsTitle(trimmed)) return true
  return annexMarker(clean)?.caption === null
}

/** Max-prefix Fenwick tree: best chain value (and its place) among places ending at or before p. */
class PrefixBest {
  readonly #value: Float64Array
  readonly #id: Int32Array

  constructor(size: number) {
    this.#value = new Float64Array(size + 2)
    this.#id = new Int32Array(size + 2).fill(-1)
  }

  set(position: number, value: number, id: number) {
    for (let i = position + 1; i < this.#value.length; i += i & -i) {
      if (value > this.#value[i]) {
        this.#value[i] = value
        this.#id[i] = id
      }
    }
  }

  /** Best over positions <= position. */
  get(position: number): { value: number; id: number } {
    let value = 0
    let id = -1
    for (let i = position + 1; i > 0; i -= i & -i) {
      if (this.#value[i] > value) {
        value = this.#value[i]
        id = this.#id[i]
      }
    }
    return { value, id }
  }
}

function placesOf(stream: string, key: string): number[] {
  const places: number[] = []
  let from = 0
  while (places.length < MAX_PLACES) {
    const at = stream.indexOf(key, from)
    if (at < 0) break
    places.push(at)
    from = at + 1
  }
  return places
}

export function lineUsage(sourceText: string, rows: DocumentRow[]): LineUsage {
  const stream = rows.map((row) => normalise(row.label) + normalise(row.value)).join('')
  const texts = sourceText.replace(/\r\n?/g, '\n').split('\n')
  const keys = texts.map((text) => (isStructural(text) ? '' : lineKey(text)))

  // The weighted chain: places (line, start, end) with increasing, non-overlapping positions.
  interface Place {
    line: number
    start: number
    end: number
    value: number
    previous: number
  }
  const places: Place[] = []
  const best = new PrefixBest(stream.length)
  for (const [line, key] of keys.entries()) {
    if (key === '') continue
    const found = placesOf(stream, key).map((start) => {
      const before = best.get(start)
      return {
        line,
        start,
        end: start + key.length,
        value: before.value + key.length,
        previous: before.id,
      }
    })
    // Added after the line's own places are scored, so a line never chains to itself.
    for (const place of found) {
      places.push(place)
      best.set(place.end, place.value, places.length - 1)
    }
  }
  const chained = new Map<number, Place>()
  for (let id = best.get(stream.length).id; id >= 0; id = places[id].previous)
    chained.set(places[id].line, places[id])

  let pointer = 0
  const lines = texts.map((text, index): SourceLine => {
    const number = index + 1
    const key = keys[index]
    if (key === '') return { number, text, used: false, structural: true }
    const place = chained.get(index)
    if (place) {
      pointer = place.end
      return { number, text, used: true, structural: false }
    }
    const elsewhere =
      key.length >= UNAMBIGUOUS_LENGTH
        ? stream.includes(key)
        : stream.slice(Math.max(0, pointer - NEAR), pointer + NEAR).includes(key)
    if (!elsewhere && BARE_NUMBER.test(text.trim()))
      return { number, text, used: false, structural: true } // a page number
    return { number, text, used: elsewhere, structural: false }
  })
  return {
    lines,
    unused: lines.filter((line) => !line.used && !line.structural).length,
  }
}
