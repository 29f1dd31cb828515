import type { ParsedClause } from '#services/register/special_terms_text'
import { suggestRequiresTraining, suggestSubcontractRule } from '#services/register/clause_rules'

/** One clause block of the special-terms form, as text fields. */
export interface ClauseRow {
  numberLabel: string
  heading: string
  body: string
  /** Sub-items, one per line. */
  items: string
  duty: string
  /** The subcontracting rule the clause creates ('' = none). */
  subcontractRule: string
  /** '1' when the clause requires staff training. */
  requiresTraining: string
  /** Fields the preview filled in from the clause's text (shown as a suggestion to check). */
  suggested?: Array<'subcontractRule' | 'requiresTraining'>
}

export type ClauseRowsResult =
  | { ok: true; rows: ClauseRow[] }
  /** not_a_list: clauses is a single text or a list of texts; bad_field: a field holds an object. */
  | { ok: false; reason: 'not_a_list' | 'bad_field' }

const TEXT_FIELDS = [
  'numberLabel',
  'heading',
  'body',
  'items',
  'duty',
  'subcontractRule',
  'requiresTraining',
] as const
const BLOCK_KEYS = new Set<string>([...TEXT_FIELDS, 'order', 'remove'])

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const halfWidth = (text: string) =>
  text.replace(/[０-９．－]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))

/** A field value as text: a list of values (field[]=…) is one value per line. */
function fieldText(value: unknown): string | null {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (
    Array.isArray(value) &&
    value.every((entry) => entry === null || ['string', 'number'].includes(typeof entry))
  ) {
    return value.filter((entry) => entry !== null).join('\n')
  }
  return null
}

/** Any value as text, for showing it again: nested values one per line. */
function looseText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'object')
    return Object.values(value).map(looseText).filter(Boolean).join('\n')
  return String(value)
}

const ticked = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(ticked)
    : ['1', 'on', 'true', 'yes'].includes(String(value ?? '').toLowerCase())

/**
 * The clause blocks of a submitted form as a list, in the order the user asked for: blocks ticked
 * "remove" and blocks left empty are dropped, the rest sorted by their order field (a block moved
 * to an order another block already has goes before it; no order = where it stands).
 *
 * The field may arrive in any shape a browser or a hand-made request produces: a list (with
 * holes), an object keyed by anything (clauses[a][body]=…), or the fields of a single block
 * (clauses[body]=…), which are all read as a list. A plain text or an object in a field is
 * refused (`ok: false`); with `lenient` (to show the form again) such values are kept as text
 * where they can be and dropped where they cannot.
 */
export function clauseRowsFromInput(raw: unknown, lenient = false): ClauseRowsResult {
  if (raw === undefined || raw === null || raw === '') return { ok: true, rows: [] }

  let entries: unknown[]
  if (Array.isArray(raw)) entries = raw
  else if (isRecord(raw)) {
    const keys = Object.keys(raw)
    const singleBlock = keys.some((key) => BLOCK_KEYS.has(key) && !isRecord(raw[key]))
    entries = singleBlock ? [raw] : Object.values(raw)
  } else if (lenient) entries = [{ body: looseText(raw) }]
  else return { ok: false, reason: 'not_a_list' }

  const blocks: { row: ClauseRow; order: number; moved: boolean; position: number }[] = []
  for (const [position, entry] of entries.entries()) {
    if (entry === undefined || entry === null) continue
    let block: Record<string, unknown>
    if (isRecord(entry)) block = entry
    else if (lenient) block = { body: looseText(entry) }
    else return { ok: false, reason: 'not_a_list' }

    const row = {} as ClauseRow
    for (const field of TEXT_FIELDS) {
      const text = fieldText(block[field])
      if (text === null && !lenient) return { ok: false, reason: 'bad_field' }
      row[field] = text ?? looseText(block[field])
    }
    if (ticked(block.remove)) continue
    if (![row.numberLabel, row.heading, row.body, row.items].some((text) => text.trim() !== ''))
      continue

    const written = Number(halfWidth(fieldText(block.order)?.trim() ?? ''))
    const hasOrder = (fieldText(block.order) ?? '').trim() !== '' && Number.isFinite(written)
    const order = hasOrder ? written : position + 1
    blocks.push({ row, order, moved: hasOrder && written !== position + 1, position })
  }

  blocks.sort(
    (a, b) => a.order - b.order || Number(b.moved) - Number(a.moved) || a.position - b.position
  )
  return { ok: true, rows: blocks.map((block) => block.row) }
}

/** Form rows for stored or parsed clauses. */
export function clauseRowsFrom(
  clauses: Array<
    Pick<ParsedClause, 'heading' | 'body' | 'items'> & {
      numberLabel?: string | null
      duty?: string | null
      subcontractRule?: string | null
      requiresTraining?: boolean | null
    }
  >
): ClauseRow[] {
  return clauses.map((clause) => ({
    numberLabel: clause.numberLabel ?? '',
    heading: clause.heading,
    body: clause.body,
    items: clause.items.join('\n'),
    duty: clause.duty ?? '',
    subcontractRule: clause.subcontractRule ?? '',
    requiresTraining: clause.requiresTraining ? '1' : '',
  }))
}

/**
 * Rows for clauses read from pasted text: the duty, rule and training flag of the clause of
 * the same heading in the form as it was (the user's choice), else the rule and the training
 * flag the text obviously states, marked as suggested so the form shows them as such.
 */
export function previewRows(
  parsed: Pick<ParsedClause, 'heading' | 'body' | 'items' | 'numberLabel'>[],
  current: ClauseRow[]
): ClauseRow[] {
  const headingKey = (heading: string) => heading.replace(/^[（(]|[）)]$/g, '').trim()
  const byHeading = new Map(
    current.filter((row) => row.heading.trim()).map((row) => [headingKey(row.heading), row])
  )
  return clauseRowsFrom(parsed).map((row, index) => {
    const before = row.heading ? byHeading.get(row.heading) : undefined
    const suggested: ClauseRow['suggested'] = []
    let subcontractRule = before?.subcontractRule ?? ''
    if (!subcontractRule) {
      subcontractRule = suggestSubcontractRule(parsed[index]) ?? ''
      if (subcontractRule) suggested.push('subcontractRule')
    }
    let requiresTraining = before?.requiresTraining ?? ''
    if (!requiresTraining && suggestRequiresTraining(parsed[index])) {
      requiresTraining = '1'
      suggested.push('requiresTraining')
    }
    return { ...row, duty: before?.duty ?? '', subcontractRule, requiresTraining, suggested }
  })
}

/** A form row as the validator reads it: empty fields left out (so an empty text is "required"). */
export function validationData(row: ClauseRow) {
  return Object.fromEntries(
    Object.entries(row).filter(
      ([key, value]) => key !== 'suggested' && typeof value === 'string' && value.trim() !== ''
    )
  )
}

/**
 * The validation errors of each clause block (`clauses.3.body` → { 3: { body: [...] } }), from
 * the flashed error bag.
 */
export function clauseErrors(errors: Record<string, string[] | string> | undefined) {
  const byRow: Record<number, Record<string, string[]>> = {}
  for (const [key, messages] of Object.entries(errors ?? {})) {
    const match = key.match(/^clauses\.(\d+)\.(\w+)/)
    if (!match) continue
    const index = Number(match[1])
    byRow[index] ??= {}
    byRow[index][match[2]] = [...(byRow[index][match[2]] ?? []), ...[messages].flat()]
  }
  return byRow
}

/** Empty blocks offered after the clauses (without JavaScript, the only way to add clauses). */
export const EMPTY_BLOCKS = 3

export const emptyRow = (): ClauseRow => ({
  numberLabel: '',
  heading: '',
  body: '',
  items: '',
  duty: '',
  subcontractRule: '',
  requiresTraining: '',
})

/** The set's own fields as the form shows them. */
export interface SetFields {
  name: string
  appliesTo: string
  effectiveFrom: string
  notes: string
  text: string
}

export interface PreviewSummary {
  clauses: number
  /** Lines read as no clause (before the first one). */
  skipped: string[]
  /** Positions (1-based) of clauses read without a text (a heading with nothing after it). */
  withoutBody: number[]
}

export interface FormState {
  fields: SetFields
  /** The clause blocks, then EMPTY_BLOCKS empty ones. */
  rows: ClauseRow[]
  /** How many of `rows` are clauses (the rest are the empty blocks). */
  filled: number
  rowErrors: Record<number, Record<string, string[]>>
  preview: PreviewSummary | null
}

const text = (value: unknown) => fieldText(value) ?? ''

/**
 * What the form shows: the input flashed back after a refused save (kept exactly, in the
 * order it would have been saved, so each error sits on its block), else the given clauses.
 */
export function formState(options: {
  old: Record<string, unknown> | null | undefined
  errors: Record<string, string[] | string> | undefined
  fields: Partial<SetFields>
  rows: ClauseRow[]
  preview?: PreviewSummary | null
}): FormState {
  const { old } = options
  const source = old
    ? {
        ...options.fields,
        ...Object.fromEntries(
          ['name', 'appliesTo', 'effectiveFrom', 'notes', 'text'].map((key) => [
            key,
            text(old[key]),
          ])
        ),
      }
    : options.fields
  const fields: SetFields = {
    name: text(source.name),
    appliesTo: text(source.appliesTo) || 'contractor',
    effectiveFrom: text(source.effectiveFrom),
    notes: text(source.notes),
    text: text(source.text),
  }
  const fromOld = old ? clauseRowsFromInput(old.clauses, true) : null
  const rows = fromOld?.ok ? fromOld.rows : options.rows
  return {
    fields,
    rows: [...rows, ...Array.from({ length: EMPTY_BLOCKS }, emptyRow)],
    filled: rows.length,
    rowErrors: clauseErrors(options.errors),
    preview: options.preview ?? null,
  }
}
