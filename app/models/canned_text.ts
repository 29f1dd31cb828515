import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Department from '#models/department'
import User from '#models/user'

/**
 * 定型文: a reply text a department keeps for the letters it writes often
 * (thanks for an opinion, where to ask next …). Staff insert it into a
 * reply draft and adapt it there; the draft does not follow later edits.
 */
export default class CannedText extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare departmentId: number

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare updatedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User, { foreignKey: 'updatedByUserId' })
  declare updatedBy: BelongsTo<typeof User>
}
