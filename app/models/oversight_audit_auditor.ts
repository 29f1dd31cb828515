import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import RowBatch from '#services/row_batch'

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

  /** Records the auditors of an audit in the order given, with name and department as they are today. */
  static recordFor(auditId: number, users: User[], client: TransactionClientContract) {
    return RowBatch.insert(
      OversightAuditAuditor,
      users.map((auditor, index) => ({
        auditId,
        userId: auditor.id,
        fullName: auditor.fullName,
        departmentName: auditor.department?.name ?? null,
        position: index + 1,
      })),
      client
    )
  }
}
