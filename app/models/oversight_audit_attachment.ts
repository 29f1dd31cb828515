import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A file of an audit (photos, signed checklists …) on the private drive disk
 * under a random key; it is only ever streamed through the controller.
 */
export default class OversightAuditAttachment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare auditId: number

  @column({ serializeAs: null })
  declare storageKey: string

  @column()
  declare originalName: string

  @column()
  declare contentType: string

  /** Bytes. */
  @column()
  declare size: number

  @column()
  declare caption: string | null

  @column()
  declare uploadedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
