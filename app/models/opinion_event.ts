import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Opinion from '#models/opinion'
import Department from '#models/department'
import User from '#models/user'
import { optionalJsonColumn, retentionEncryptedJsonColumn } from '#services/column_types'
import type {
  CorrectableOpinionField,
  HandlingKind,
  OpinionEventKind,
  OpinionPersonalField,
} from '#enums/opinion'

/** One field a correction changed: its value before and after (null: empty). */
export interface FieldChange<Field extends string = string> {
  field: Field
  before: string | null
  after: string | null
}

/** A changed field as the history lists it: a contact field only by name (its values are sealed apart). */
export type DetailChange =
  FieldChange<CorrectableOpinionField> | { field: OpinionPersonalField; personal: true }

/**
 * One step of an opinion's processing history (処理履歴). Entries are never
 * edited: a correction is a new entry pointing at the one it corrects.
 */
export default class OpinionEvent extends BaseModel {
  static readonly updatedAt = false

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare opinionId: number

  @column()
  declare kind: OpinionEventKind

  @column()
  declare handlingKind: HandlingKind | null

  @column()
  declare departmentId: number | null

  @column()
  declare userId: number | null

  @column()
  declare body: string | null

  @column()
  declare correctsEventId: number | null

  /**
   * A correction of the opinion's details: subject, topic (by name) and channel before and
   * after; the contact fields it changed by name only (their values: personalChanges).
   */
  @column(optionalJsonColumn)
  declare changes: DetailChange[] | null

  /**
   * The submitter's contact before and after a correction, encrypted like the opinion's own
   * (with the opinion's retention key for call-center data); emptied by the retention purge,
   * and null once the month's key is destroyed.
   */
  @column(retentionEncryptedJsonColumn)
  declare personalChanges: FieldChange<OpinionPersonalField>[] | null

  /** Set while saving: the opinion's retention month (Opinion.retentionMonth), not stored. */
  retentionMonth: string | null = null

  /** When the step happened (a call made yesterday is entered today). */
  @column.dateTime()
  declare occurredAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => Opinion)
  declare opinion: BelongsTo<typeof Opinion>

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @hasMany(() => OpinionEvent, { foreignKey: 'correctsEventId' })
  declare corrections: HasMany<typeof OpinionEvent>
}
