import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import { retentionEncryptedColumn } from '#services/column_types'
import type { OpinionAttachmentKind } from '#enums/opinion'

/**
 * A letter, FAX image or photo of an opinion. The file is encrypted (EncryptedFiles) on the
 * private drive disk under a random key; its data key and the name the user gave are
 * encrypted like the submitter's data (with the opinion's retention key for call-center
 * data), so the retention purge and crypto-shredding reach it. Only ever streamed through
 * the controller, to those who may see the opinion.
 */
export default class OpinionAttachment extends BaseModel {
  static readonly updatedAt = false

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare opinionId: number

  @column()
  declare kind: OpinionAttachmentKind

  @column({ serializeAs: null })
  declare storageKey: string

  @column(retentionEncryptedColumn)
  declare originalName: string | null

  @column({ ...retentionEncryptedColumn, serializeAs: null })
  declare fileKey: string | null

  @column()
  declare contentType: string

  /** Bytes of the file as uploaded. */
  @column()
  declare size: number

  @column()
  declare uploadedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => User, { foreignKey: 'uploadedByUserId' })
  declare uploadedBy: BelongsTo<typeof User>

  /** Set while saving: the opinion's retention month (Opinion.retentionMonth), not stored. */
  retentionMonth: string | null = null
}
