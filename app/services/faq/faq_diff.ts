import type { FaqContentField, FaqLink } from '#models/faq_entry'

/** A run of text that is in both versions, only in the newer one, or only in the older one. */
export interface DiffSegment {
  kind: 'same' | 'added' | 'removed'
  text: string
}

export interface FaqFieldChange {
  field: FaqContentField
  before: string
  after: string
  /** Character-level changes for the text fields, so a one-word edit of a long answer is visible. */
  segments: DiffSegment[]
}

export interface FaqDifference {
  changes: FaqFieldChange[]
  same: boolean
}

/** What the diff reads of a working copy or a version. */
export type FaqComparable = {
  topicId: number | null
  question: string
  answer: string
  keywords: string
  relatedLinks: FaqLink[]
  internalNotes: string | null
  visibleToCallCenter: boolean
}

/** Above this many cells the middle part is shown as removed + added instead of an exact LCS. */
const MAX_LCS_CELLS = 4_000_000

/**
 * What changed between two states of an FAQ entry (a version and the next,
 * or the published version and the change awaiting approval), field by
 * field, with the changed characters marked for display as <del>/<ins>.
 */
export default class FaqDiff {
  static between(
    before: FaqComparable,
    after: FaqComparable,
    labels: { topicName: (topicId: number | null) => string; yes: string; no: string }
  ): FaqDifference {
    const text = (content: FaqComparable, field: FaqContentField): string => {
      switch (field) {
        case 'topicId':
          return labels.topicName(content.topicId)
        case 'relatedLinks':
          return content.relatedLinks.map((link) => `${link.label} ${link.url}`.trim()).join('\n')
        case 'visibleToCallCenter':
          return content.visibleToCallCenter ? labels.yes : labels.no
        case 'internalNotes':
          return content.internalNotes ?? ''
        default:
          return content[field]
      }
    }
    const fields: FaqContentField[] = ['question', 'answer', 'topicId', 'keywords', 'relatedLinks', 'internalNotes', 'visibleToCallCenter']
    const changes = fields
      .map((field) => ({ field, before: text(before, field), after: text(after, field) }))
      .filter((change) => change.before !== change.after)
      .map((change) => ({ ...change, segments: FaqDiff.segments(change.before, change.after) }))
    return { changes, same: changes.length === 0 }
  }

  /** Character diff (by code point): common prefix and suffix, LCS in between. */
  static segments(before: string, after: string): DiffSegment[] {
    const a = Array.from(before)
    const b = Array.from(after)
    let prefix = 0
    while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
    let suffix = 0
    while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++

    const middleA = a.slice(prefix, a.length - suffix)
    const middleB = b.slice(prefix, b.length - suffix)
    const segments: DiffSegment[] = []
    const push = (kind: DiffSegment['kind'], chars: string) => {
      if (!chars) return
      const last = segments[segments.length - 1]
      if (last && last.kind === kind) last.text += chars
      else segments.push({ kind, text: chars })
    }
    push('same', a.slice(0, prefix).join(''))
    if (middleA.length * middleB.length > MAX_LCS_CELLS) {
      push('removed', middleA.join(''))
      push('added', middleB.join(''))
    } else {
      for (const [kind, chars] of FaqDiff.#lcs(middleA, middleB)) push(kind, chars)
    }
    push('same', a.slice(a.length - suffix).join(''))
    return segments
  }

  static *#lcs(a: string[], b: string[]): Generator<[DiffSegment['kind'], string]> {
    const rows = a.length + 1
    const cols = b.length + 1
    // lengths[i][j]: LCS length of a[i..] and b[j..]
    const lengths = new Uint32Array(rows * cols)
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lengths[i * cols + j] =
          a[i] === b[j] ? lengths[(i + 1) * cols + j + 1] + 1 : Math.max(lengths[(i + 1) * cols + j], lengths[i * cols + j + 1])
      }
    }
    let i = 0
    let j = 0
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        yield ['same', a[i]]
        i++
        j++
      } else if (lengths[(i + 1) * cols + j] >= lengths[i * cols + j + 1]) {
        yield ['removed', a[i++]]
      } else {
        yield ['added', b[j++]]
      }
    }
    while (i < a.length) yield ['removed', a[i++]]
    while (j < b.length) yield ['added', b[j++]]
  }
}
