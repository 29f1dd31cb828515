import { BaseModel, column } from '@adonisjs/lucid/orm'
import { jsonColumn } from '#services/column_types'
import type { ClauseDutyKind } from '#enums/register'

/**
 * A numbered clause: (秘密の保持) 2 乙は、…  It may create an oversight duty.
 */
export default class SpecialTermClause extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare setId: number

  @column()
  declare number: number

  @column()
  declare heading: string

  @column()
  declare body: string

  @column(jsonColumn)
  declare items: string[]

  @column()
  declare duty: ClauseDutyKind | null
}
