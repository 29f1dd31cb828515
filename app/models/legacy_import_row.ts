import { BaseModel, column } from '@adonisjs/lucid/orm'
import fieldEncryption from '#services/field_encryption'

/** A checked record as encrypted JSON: it holds a citizen's data. */
const encryptedPayloadColumn = {
  prepare: (value: unknown) => fieldEncryption.encrypt(JSON.stringify(value)),
  consume: (value: string) => JSON.parse(fieldEncryption.decrypt(value)),
}

/**
 * The staging table of a legacy import: each checked record of the file, written in batches
 * while the file is checked, then applied to the real tables in one short transaction.
 */
export default class LegacyImportRow extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare taskId: number

  /** The record's line in the file (1 = the header). */
  @column()
  declare line: number

  @column()
  declare legacyId: string

  @column({ columnName: 'payload_encrypted', serializeAs: null, ...encryptedPayloadColumn })
  declare payload: Record<string, any>
}
