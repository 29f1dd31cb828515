import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'

/**
 * A ward staff member who took part in an audit. Name and department are
 * copied on the audit day, so the record stays as it was.
 */
export default class OversightAuditAuditor extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare auditId: number

  @column()
  declare userId: number | null

  @column()
  declare fullName: string

  @column()
  declare departmentName: string | null

  @column()
  declare position: number

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
