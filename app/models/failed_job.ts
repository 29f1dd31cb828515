import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A background job that still failed after its retries (JobQueue). The payload may hold personal
 * data (a mail's recipients and text): it is stored encrypted and never shown.
 */
export default class FailedJob extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare queue: string

  /** The job class's module URL (its `$$filepath`), as BullMQ names the job. */
  @column()
  declare job: string

  @column({ serializeAs: null })
  declare payloadEncrypted: string

  @column()
  declare attempts: number

  @column()
  declare error: string

  @column.dateTime()
  declare failedAt: DateTime

  @column.dateTime()
  declare retriedAt: DateTime | null
}
