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

  /**
   * The heading of the group the item belongs to (見出し, e.g. 【申請者】), as
   * written. Stored on every item of the group: a group is a run of
   * consecutive items (by sortOrder) with the same heading; null = no group.
   */
  @column()
  declare groupHeading: string | null

  /** A note printed with the item (注記, e.g. 必要な場合のみ). */
  @column()
  declare note: string | null

  @belongsTo(() => SubjectGroup)
  declare subjectGroup: BelongsTo<typeof SubjectGroup>
}
