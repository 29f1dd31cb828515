import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A topic (分野) shared by opinions and FAQ entries: 防災, ごみ・リサイクル,
 * 自転車・駐輪…, the categories the ward's published statistics count by.
 */
export default class Topic extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare code: string

  @column()
  declare name: string

  @column()
  declare sortOrder: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  static ordered() {
    return Topic.query().orderBy('sort_order').orderBy('id')
  }
}
