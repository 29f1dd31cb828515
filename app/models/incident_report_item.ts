import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import DataItem from '#models/data_item'
import type { SpecialCareCategory } from '#enums/register'

/**
 * A data item involved in an incident, with its name and special-care
 * category as they were when reported (the register may change later).
 */
export default class IncidentReportItem extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare incidentReportId: number

  /** null once the item is removed from the register. */
  @column()
  declare dataItemId: number | null

  @column()
  declare name: string

  @column()
  declare specialCareCategory: SpecialCareCategory | null

  @belongsTo(() => DataItem)
  declare dataItem: BelongsTo<typeof DataItem>
}
