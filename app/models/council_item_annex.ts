import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import SystemVersion from '#models/system_version'

/**
 * One 別紙 of an item: a system (its development or change) or one of its
 * contracts / subcontracts. Once the item is decided it points at the
 * register version that was approved.
 */
export default class CouncilItemAnnex extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare itemId: number

  @column()
  declare systemId: number

  @column()
  declare contractId: number | null

  /** e.g. ◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告 */
  @column()
  declare caption: string | null

  @column()
  declare sortOrder: number

  @column()
  declare approvedVersionId: number | null

  @belongsTo(() => PersonalDataSystem, { foreignKey: 'systemId' })
  declare system: BelongsTo<typeof PersonalDataSystem>

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @belongsTo(() => SystemVersion, { foreignKey: 'approvedVersionId' })
  declare approvedVersion: BelongsTo<typeof SystemVersion>
}
