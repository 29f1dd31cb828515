import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A finding (指摘事項) of an audit, optionally about one checklist line. */
export default class OversightAuditFinding extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare auditId: number

  @column()
  declare lineId: number | null

  @column()
  declare position: number

  @column()
  declare detail: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
