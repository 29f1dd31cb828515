import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Opinion from '#models/opinion'
import Department from '#models/department'
import User from '#models/user'
import { booleanColumn } from '#services/column_types'

/**
 * An opinion forwarded to a department (関係所属転送); one of them leads
 * and owns the reply. Reminder stages are claimed here, once per stage.
 */
export default class OpinionDepartment extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare opinionId: number

  @column()
  declare departmentId: number

  @column(booleanColumn)
  declare isLead: boolean

  /** The opinion's fiscal year (never changes): the statistics count co-forwarded rows per year without a join. */
  @column()
  declare fiscalYear: number

  /** pending or handled. */
  @column()
  declare handlingStatus: 'pending' | 'handled'

  @column.dateTime()
  declare forwardedAt: DateTime

  @column()
  declare forwardedByUserId: number | null

  @column.dateTime()
  declare handledAt: DateTime | null

  /** The department's person handling it (担当者); null until someone is named. */
  @column()
  declare assignedUserId: number | null

  @column.dateTime()
  declare assignedAt: DateTime | null

  /** When the department's staff were told (after-hours intake: at hand-over). */
  @column.dateTime()
  declare notifiedAt: DateTime | null

  @column.dateTime()
  declare remindedDueAt: DateTime | null

  @column.dateTime()
  declare remindedOverdueAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Opinion)
  declare opinion: BelongsTo<typeof Opinion>

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User, { foreignKey: 'assignedUserId' })
  declare assignee: BelongsTo<typeof User>
}
