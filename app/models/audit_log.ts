import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * One entry of the append-only audit log. Never updated or deleted (the
 * database refuses it); written only through AuditLogger.
 */
export default class AuditLog extends BaseModel {
  // bigint: PostgreSQL returns it as a string.
  @column({ isPrimary: true, consume: (value) => Number(value) })
  declare id: number

  @column()
  declare occurredAt: string

  @column()
  declare actorType: string

  @column()
  declare actorId: number | null

  @column()
  declare actorLabel: string | null

  @column()
  declare action: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  @column()
  declare changedFields: string | null

  @column()
  declare details: string | null

  @column()
  declare requestId: string | null

  @column()
  declare ip: string | null

  @column()
  declare prevHash: string

  @column()
  declare hash: string

  get changedFieldList(): string[] {
    return this.changedFields ? this.changedFields.split(',') : []
  }
}
