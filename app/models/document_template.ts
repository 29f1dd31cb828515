import { DateTime } from 'luxon'
import { BaseModel, afterFetch, afterFind, column } from '@adonisjs/lucid/orm'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { jsonColumn } from '#services/column_types'
import {
  DEFAULT_RECORDED_ITEMS_PARTS,
  DEFAULT_TEMPLATE_ROWS,
  NUMBERING_STYLES,
  ROW_KEYS,
  TEMPLATE_KINDS,
  TEMPLATE_NAMES,
  type NumberingStyle,
  type TemplateKind,
  type TemplateRow,
} from '#enums/document_template'

/** Sub-labels of the system annex's 記録される情報項目 row. */
export type RecordedItemsParts = typeof DEFAULT_RECORDED_ITEMS_PARTS
export type RecordedItemsPart = keyof RecordedItemsParts
export const RECORDED_ITEMS_PARTS = Object.keys(DEFAULT_RECORDED_ITEMS_PARTS) as RecordedItemsPart[]

/** A JSON object stored in a text column ({} when empty or unreadable). */
const jsonObjectColumn = {
  prepare: (value: unknown) => JSON.stringify(value ?? {}),
  consume: (value: string | null) => {
    if (value === null) return {}
    try {
      const parsed = JSON.parse(value)
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
    } catch {
      return {}
    }
  },
}

/**
 * A council document template (様式) the privacy office edits: the rows an
 * annex table (or the overview) prints, in order, with their labels and
 * whether a row prints even when empty; how plain lists are numbered; and for
 * the system annex the sub-labels of 記録される情報項目. One row per kind.
 *
 * Rows read from the database are always complete: every key of the kind
 * exactly once (a key missing from the stored rows comes back with its
 * default label after its default predecessor; unknown or repeated keys are
 * dropped; a blank label is the default one).
 */
export default class DocumentTemplate extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: TemplateKind

  @column()
  declare name: string

  @column(jsonColumn)
  declare rows: TemplateRow[]

  @column()
  declare numbering: NumberingStyle

  /** system_annex: { subjects, items, computer } (defaults filled in); other kinds: {}. */
  @column(jsonObjectColumn)
  declare parts: Record<string, string>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @afterFind()
  static completeOne(template: DocumentTemplate) {
    template.#complete()
  }

  @afterFetch()
  static completeAll(templates: DocumentTemplate[]) {
    for (const template of templates) template.#complete()
  }

  /** The four templates in one query; a kind missing from the table gets its defaults (unsaved). */
  static async allByKind(
    client?: QueryClientContract
  ): Promise<Record<TemplateKind, DocumentTemplate>> {
    const stored = await DocumentTemplate.query(client ? { client } : undefined).whereIn('kind', [
      ...TEMPLATE_KINDS,
    ])
    const byKind = new Map(stored.map((template) => [template.kind, template]))
    return Object.fromEntries(
      TEMPLATE_KINDS.map((kind) => [kind, byKind.get(kind) ?? DocumentTemplate.defaults(kind)])
    ) as Record<TemplateKind, DocumentTemplate>
  }

  /**
   * The four templates, creating (with the defaults) any kind the table
   * lacks, e.g. after a database was emptied. For the pages that edit them.
   */
  static async ensureAll(): Promise<DocumentTemplate[]> {
    const templates = await DocumentTemplate.fetchOrCreateMany(
      'kind',
      TEMPLATE_KINDS.map((kind) => {
        const { name, rows, numbering, parts } = DocumentTemplate.defaults(kind)
        return { kind, name, rows, numbering, parts }
      })
    )
    return TEMPLATE_KINDS.map((kind) => templates.find((template) => template.kind === kind)!)
  }

  /** An unsaved template of a kind with the ward's default wording. */
  static defaults(kind: TemplateKind): DocumentTemplate {
    const template = new DocumentTemplate()
    template.kind = kind
    template.name = TEMPLATE_NAMES[kind]
    template.rows = DocumentTemplate.defaultRows(kind)
    template.numbering = 'halfwidth'
    template.parts = kind === 'system_annex' ? { ...DEFAULT_RECORDED_ITEMS_PARTS } : {}
    return template
  }

  /** A fresh copy of a kind's default rows. */
  static defaultRows(kind: TemplateKind): TemplateRow[] {
    return DEFAULT_TEMPLATE_ROWS[kind].map((row) => ({ ...row }))
  }

  /** Stored rows made complete for a kind (see the class comment). */
  static completeRows(kind: TemplateKind, rows: unknown): TemplateRow[] {
    const defaults = DEFAULT_TEMPLATE_ROWS[kind] ?? []
    const defaultOf = new Map(defaults.map((row) => [row.key, row]))
    const complete: TemplateRow[] = []
    for (const row of Array.isArray(rows) ? rows : []) {
      const key = row && typeof row === 'object' ? (row as any).key : undefined
      const fallback = typeof key === 'string' ? defaultOf.get(key) : undefined
      if (!fallback || complete.some((kept) => kept.key === key)) continue
      const label =
        typeof row.label === 'string' && row.label.trim() !== '' ? row.label : fallback.label
      complete.push({
        key,
        label,
        always: typeof row.always === 'boolean' ? row.always : Boolean(row.always),
      })
    }
    for (const [index, fallback] of defaults.entries()) {
      if (complete.some((kept) => kept.key === fallback.key)) continue
      const previousKeys = defaults.slice(0, index).map((row) => row.key)
      let at = 0
      complete.forEach((kept, position) => {
        if (previousKeys.includes(kept.key)) at = position + 1
      })
      complete.splice(at, 0, { ...fallback })
    }
    return complete
  }

  /** The sub-labels of 記録される情報項目, defaults filled in. */
  get recordedItemsParts(): RecordedItemsParts {
    const parts = { ...DEFAULT_RECORDED_ITEMS_PARTS }
    for (const part of RECORDED_ITEMS_PARTS) {
      const value = this.parts?.[part]
      if (typeof value === 'string' && value.trim() !== '') parts[part] = value
    }
    return parts
  }

  /** The label of a row ('' when the kind has no such key). */
  label(key: string): string {
    return this.rows.find((row) => row.key === key)?.label ?? ''
  }

  /** Whether the kind has a row key (for validating overrides). */
  static hasKey(kind: TemplateKind, key: string): boolean {
    return (ROW_KEYS[kind] ?? []).includes(key)
  }

  #complete() {
    this.rows = DocumentTemplate.completeRows(this.kind, this.rows)
    if (!NUMBERING_STYLES.includes(this.numbering)) this.numbering = 'halfwidth'
    if (this.kind === 'system_annex') this.parts = { ...this.recordedItemsParts }
  }
}
