import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import User from '#models/user'
import { jsonColumn } from '#services/column_types'
import type { ReviewStatus } from '#enums/register'

/** 論理消去 (erasure software), 物理破壊, 媒体の返却. */
export const ERASURE_METHODS = ['logical_erasure', 'physical_destruction', 'media_return'] as const
export type ErasureMethod = (typeof ERASURE_METHODS)[number]

/**
 * A deletion certificate (消去証明書) of a contract's data at its end: how
 * and when which media were erased, the signed PDF (private drive disk,
 * streamed only through the controller), and the ward's check.
 */
export default class DeletionCertificate extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  @column()
  declare method: ErasureMethod

  /** The media concerned, one entry each (e.g. サーバ内ハードディスク, USBメモリ 2本). */
  @column(jsonColumn)
  declare media: string[]

  @column.date()
  declare erasedOn: DateTime

  @column()
  declare notes: string | null

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare originalName: string

  /** Bytes. */
  @column()
  declare size: number

  @column()
  declare status: ReviewStatus

  @column()
  declare submittedByUserId: number | null

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
}
