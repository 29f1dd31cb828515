import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import CouncilItem from '#models/council_item'
import WardCalendar from '#services/ward_calendar'

/**
 * A council meeting, numbered per fiscal year (令和2年度 第5回).
 */
export default class CouncilMeeting extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare fiscalYear: number

  @column()
  declare number: number

  @column.date()
  declare heldOn: DateTime | null

  @column()
  declare notes: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => CouncilItem, { foreignKey: 'meetingId' })
  declare items: HasMany<typeof CouncilItem>

  /** 令和8年度 第5回 */
  get label(): string {
    return `${WardCalendar.fiscalYearLabel(this.fiscalYear)} 第${this.number}回`
  }
}
