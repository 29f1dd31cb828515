import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import SubjectGroup from '#models/subject_group'
import type { ProhibitedCategory, SpecialCareCategory } from '#enums/register'

/**
 * A recorded data item (記録項目): 氏名, 住所, 意見等の内容 …
 */
export default class DataItem extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare systemId: number

  @column()
  declare subjectGroupId: number | null

  @column()
  declare name: string

  /** Set when the item is 要配慮個人情報. */
  @column()
  declare specialCareCategory: SpecialCareCategory | null

  /** Set when the item falls under 収集禁止事項 (needs a recorded approval). */
  @column()
  declare prohibitedCategory: ProhibitedCategory | null

  @column.date()
  declare prohibitedApprovedOn: DateTime | null

  @column()
  declare prohibitedApprovedBy: string | null

  @column()
  declare prohibitedApprovalReference: string | null

  @column()
  declare sortOrder: number

  @belongsTo(() => SubjectGroup)
  declare subjectGroup: BelongsTo<typeof SubjectGroup>
}
