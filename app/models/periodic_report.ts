import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import User from '#models/user'
import type { ReviewStatus } from '#enums/register'

/**
 * A periodic report (定期報告) of a contract for one period, e.g. the
 * monthly subscriber and delivery figures of a mail service, with an
 * optional PDF on the private drive disk, and the ward's check. A report
 * sent back (差戻し) is kept; the next one for the period is a new row.
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

  @column()
  declare status: ReviewStatus

  /** Date of the verification or rejection. */
  @column.date()
  declare reviewedOn: DateTime | null

  @column()
  declare reviewedByUserId: number | null

  @column()
  declare rejectionReason: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @belongsTo(() => User, { foreignKey: 'reviewedByUserId' })
  declare reviewedBy: BelongsTo<typeof User>

  get hasFile(): boolean {
    return this.storageKey !== null
  }
}
