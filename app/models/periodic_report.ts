import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'

/**
 * A periodic report (定期報告) of a contract for one period, e.g. the
 * monthly subscriber and delivery figures of a mail service, with an
 * optional PDF on the private drive disk.
 */
export default class PeriodicReport extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  /** First month of the period, 'yyyy-MM' (the duty's period key). */
  @column()
  declare period: string

  /** 登録者数 */
  @column()
  declare subscribers: number | null

  /** 配信数 */
  @column()
  declare deliveries: number | null

  @column()
  declare notes: string | null

  @column({ serializeAs: null })
  declare storageKey: string | null

  @column()
  declare originalName: string | null

  @column()
  declare size: number | null

  @column.date()
  declare submittedOn: DateTime

  @column()
  declare submittedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  get hasFile(): boolean {
    return this.storageKey !== null
  }
}
