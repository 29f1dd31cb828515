import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Opinion from '#models/opinion'
import Department from '#models/department'
import User from '#models/user'
import type { HandlingKind, OpinionEventKind } from '#enums/opinion'

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
