import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import RosterMember from '#models/roster_member'
import User from '#models/user'

/**
 * One submitted version of a contract's handler roster (取扱責任者及び取扱者
 * 名簿). Every submission is a new version; the newest acknowledged version
 * is the current one.
 */
export default class HandlerRoster extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  /** 1, 2, 3 … per contract. */
  @column()
  declare version: number

  @column.date()
  declare submittedOn: DateTime

  @column()
  declare submittedByUserId: number | null

  /** e.g. 人事異動による変更 */
  @column()
  declare notes: string | null

  /** The ward's acknowledgement (受理). */
  @column.date()
  declare acknowledgedOn: DateTime | null

  @column()
  declare acknowledgedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @hasMany(() => RosterMember)
  declare members: HasMany<typeof RosterMember>

  @belongsTo(() => User, { foreignKey: 'acknowledgedByUserId' })
  declare acknowledgedBy: BelongsTo<typeof User>

  get isAcknowledged(): boolean {
    return this.acknowledgedOn !== null
  }

  /** The current version of a contract: the newest acknowledged one. */
  static current(contractId: number) {
    return HandlerRoster.query()
      .where('contractId', contractId)
      .whereNotNull('acknowledgedOn')
      .orderBy('version', 'desc')
      .first()
  }
}
