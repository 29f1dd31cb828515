import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import DataItem from '#models/data_item'
import type { ItemDirection } from '#enums/register'

/**
 * A data item a contract processes: collected by the contractor
 * (委託先が収集する項目) or provided by the ward (委託先に提供する項目).
 */
export default class ContractDataItem extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  @column()
  declare dataItemId: number

  @column()
  declare direction: ItemDirection

  @belongsTo(() => DataItem)
  declare dataItem: BelongsTo<typeof DataItem>
}
