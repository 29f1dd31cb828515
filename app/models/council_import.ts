import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import CouncilItem from '#models/council_item'
import User from '#models/user'
import { jsonColumn } from '#services/column_types'
import type { ImportDraft } from '#services/council/import/import_draft'

/** Where the text came from (SourceTextReader's SourceKind). */
export type CouncilImportSourceKind = 'text' | 'pdf' | 'docx'

export const COUNCIL_IMPORT_STATUSES = ['draft', 'confirmed', 'discarded'] as const
export type CouncilImportStatus = (typeof COUNCIL_IMPORT_STATUSES)[number]

/** How the confirmed item's generated PDF compared with the source, row by row. */
export interface CouncilImportRoundTrip {
  identical: number
  total: number
  /** The rows that differ: where, which, the source's value and the generated PDF's (null = missing). */
  differences: Array<{
    section: string
    label: string
    actualLabel?: string
    expected: string | null
    actual: string | null
  }>
}

/** The round trip as JSON text; null = not compared yet. */
const roundTripColumn = {
  prepare: (value: CouncilImportRoundTrip | null | undefined) =>
    value ? JSON.stringify(value) : null,
  consume: (value: string | null): CouncilImportRoundTrip | null =>
    value ? JSON.parse(value) : null,
}

/**
 * A council document being imported into the register (審議会資料の取込み): the source
 * text as read, the draft made of it (corrected by the officer on the review screen) and,
 * once confirmed, the council item it became (ConfirmCouncilImport) and its round trip.
 */
export default class CouncilImport extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare createdByUserId: number

  @column()
  declare sourceKind: CouncilImportSourceKind

  /** The uploaded file's name; null for pasted text. */
  @column()
  declare sourceName: string | null

  /** The text the draft was read from (for .pdf / .docx: their text). */
  @column()
  declare sourceText: string

  @column(jsonColumn)
  declare draft: ImportDraft

  @column()
  declare status: CouncilImportStatus

  /** The item created on confirmation; null before, or once the item was deleted. */
  @column()
  declare councilItemId: number | null

  @column(roundTripColumn)
  declare roundTrip: CouncilImportRoundTrip | null

  @column.dateTime()
  declare confirmedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User, { foreignKey: 'createdByUserId' })
  declare createdBy: BelongsTo<typeof User>

  @belongsTo(() => CouncilItem)
  declare councilItem: BelongsTo<typeof CouncilItem>

  get isDraft(): boolean {
    return this.status === 'draft'
  }
}
