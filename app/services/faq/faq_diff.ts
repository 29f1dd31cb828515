import { diffChars } from 'diff'
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

/** Edits beyond which the change is shown as removed + added instead of an exact character diff. */
const MAX_EDIT_LENGTH = 1000

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
    const fields: FaqContentField[] = [
      'question',
      'answer',
      'topicId',
      'keywords',
      'relatedLinks',
      'internalNotes',
      'visibleToCallCenter',
    ]
    const changes = fields
      .map((field) => ({ field, before: text(before, field), after: text(after, field) }))
      .filter((change) => change.before !== change.after)
      .map((change) => ({ ...change, segments: FaqDiff.segments(change.before, change.after) }))
    return { changes, same: changes.length === 0 }
  }

  /**
   * Character diff by code point (the `diff` package's Myers diff; words
   * are no unit for Japanese text, which has no spaces). A change too large
   * to compare in reasonable time is shown as the old text removed and the
   * new one added, around their common start and end.
   */
  static segments(before: string, after: string): DiffSegment[] {
    const changes = diffChars(before, after, { maxEditLength: MAX_EDIT_LENGTH })
    if (!changes) return FaqDiff.#replaced(before, after)
    return changes
      .filter((change) => change.value !== '')
      .map((change) => ({
        kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
        text: change.value,
      }))
  }

  /** Common start and end kept, the middle shown as removed then added. */
  static #replaced(before: string, after: string): DiffSegment[] {
    const a = Array.from(before)
    const b = Array.from(after)
    let prefix = 0
    while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++
    let suffix = 0
    while (
      suffix < a.length - prefix &&
      suffix < b.length - prefix &&
      a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
    )
      suffix++
    const segments: DiffSegment[] = [
      { kind: 'same', text: a.slice(0, prefix).join('') },
      { kind: 'removed', text: a.slice(prefix, a.length - suffix).join('') },
      { kind: 'added', text: b.slice(prefix, b.length - suffix).join('') },
      { kind: 'same', text: a.slice(a.length - suffix).join('') },
    ]
    return segments.filter((segment) => segment.text !== '')
  }
}
