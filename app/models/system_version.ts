import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import type { SystemSnapshot } from '#services/register/system_snapshot'

/**
 * One saved state of a system with its data items and contracts. Every
 * change of the register adds one.
 */
export default class SystemVersion extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare systemId: number

  @column()
  declare version: number

  @column({
    prepare: (value: SystemSnapshot) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value),
  })
  declare snapshot: SystemSnapshot

  @column()
  declare summary: string

  @column()
  declare changedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User, { foreignKey: 'changedByUserId' })
  declare changedBy: BelongsTo<typeof User>
}
