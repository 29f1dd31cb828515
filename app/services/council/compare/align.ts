import { normalise } from '#services/council/compare/normalize'
import type { DocumentRow } from '#services/council/compare/rows'

/**
 * Pairs the rows of the reference with the rows of the PDF, in document order (a weighted
 * longest-common-subsequence): rows of the same kind pair when their labels are equal, or their
 * values are equal, or both are close; identical rows weigh most. Rows left unpaired are missing
 * from the PDF (reference only) or extra in it (PDF only).
 */

interface Prepared {
  row: DocumentRow
  label: string
  value: string
  bigrams: Map<string, number>
  size: number
  number: number | null
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  const chars = [...text]
  for (let index = 0; index + 1 < chars.length; index++) {
    const gram = chars[index] + chars[index + 1]
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  if (chars.length === 1) counts.set(chars[0], 1)
  return counts
}

function prepare(row: DocumentRow): Prepared {
  const value = normalise(row.value)
  const grams = bigrams(value)
  let size = 0
  for (const count of grams.values()) size += count
  const number = row.kind === 'clause' ? (value.match(/^(?:第)?([0-9]+)/)?.[1] ?? null) : null
  return {
    row,
    label: normalise(row.label),
    value,
    bigrams: grams,
    size,
    number: number === null ? null : Number(number),
  }
}

/** Dice coefficient of the character bigrams of two normalised values (0…1). */
function similarity(a: Prepared, b: Prepared): number {
  if (a.size === 0 && b.size === 0) return 1
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] =
    a.bigrams.size <= b.bigrams.size ? [a.bigrams, b.bigrams] : [b.bigrams, a.bigrams]
  let shared = 0
  for (const [gram, count] of small) shared += Math.min(count, large.get(gram) ?? 0)
  return (2 * shared) / (a.size + b.size)
}

/** How well two rows pair (0 = they do not). */
function pairScore(a: Prepared, b: Prepared): number {
  if (a.row.kind !== b.row.kind) return 0
  const sameLabel = a.label === b.label
  const sameValue = a.value === b.value
  if (sameLabel && sameValue) return 10
  const close = similarity(a, b)
  switch (a.row.kind) {
    case 'row':
      if (sameLabel) return 4 + 2 * close
      if (sameValue) return 4
      return close > 0.6 ? 1 + close : 0
    case 'subject':
      return 3 + 2 * close
    case 'cover':
      if (sameLabel && a.label !== '') return 3 + 2 * close
      if (sameValue) return 4
      return close > 0.5 ? 1 + close : 0
    case 'caption':
      return close > 0.3 ? 2 + 2 * close : 0
    case 'clause':
      if (sameValue) return 5
      if (a.number !== null && a.number === b.number) return 3 + 2 * close + (sameLabel ? 1 : 0)
      return close > 0.6 ? 1 + close : 0
  }
}

export interface AlignedPair {
  expected: DocumentRow | null
  actual: DocumentRow | null
  identical: boolean
}

export function alignRows(reference: DocumentRow[], pdf: DocumentRow[]): AlignedPair[] {
  const left = reference.map(prepare)
  const right = pdf.map(prepare)
  const n = left.length
  const m = right.length
  const scores: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const pair = pairScore(left[i], right[j])
      scores[i][j] = Math.max(
        scores[i + 1][j],
        scores[i][j + 1],
        pair > 0 ? pair + scores[i + 1][j + 1] : 0
      )
    }
  }
  const pairs: AlignedPair[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m) {
      const pair = pairScore(left[i], right[j])
      if (pair > 0 && scores[i][j] === pair + scores[i + 1][j + 1]) {
        const identical = left[i].label === right[j].label && left[i].value === right[j].value
        pairs.push({ expected: left[i].row, actual: right[j].row, identical })
        i++
        j++
        continue
      }
      if (scores[i][j] === scores[i + 1][j]) {
        pairs.push({ expected: left[i].row, actual: null, identical: false })
        i++
        continue
      }
      pairs.push({ expected: null, actual: right[j].row, identical: false })
      j++
      continue
    }
    if (i < n) pairs.push({ expected: left[i++].row, actual: null, identical: false })
    else pairs.push({ expected: null, actual: right[j++].row, identical: false })
  }
  return pairs
}
