import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import DataItem from '#models/data_item'
import type { ItemDirection } from '#enums/register'

/**
 * A data item a contract processes: collected by the contractor
 * (委託先が収集する項目) or provided by the ward (委託先に提供する項目),
 * with its place, group heading and note as the document prints it.
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

  /**
   * A heading starting a group of items (e.g. 【該当者(※)に係る情報項目】,
   * 2 処理を依頼する個人情報の項目); null continues the group above.
   */
  @column()
  declare groupHeading: string | null

  /** Printed after the item name, e.g. 必要な場合のみ → 住所（必要な場合のみ）. */
  @column()
  declare note: string | null

  /** Print order within the direction (0, 1, 2 … as entered). */
  @column()
  declare sortOrder: number

  @belongsTo(() => DataItem)
  declare dataItem: BelongsTo<typeof DataItem>
}
