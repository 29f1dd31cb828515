import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Department from '#models/department'
import User from '#models/user'

/** 承認者 (approves the department's drafts) or 代理承認者 (when they are away or none). */
export const APPROVER_CAPACITIES = ['approver', 'acting'] as const
export type ApproverCapacityName = (typeof APPROVER_CAPACITIES)[number]

/**
 * A person named by a department to approve its opinion replies, FAQ changes
 * and council items, or to act for its approvers (see Approvers).
 */
export default class DepartmentApprover extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare departmentId: number

  @column()
  declare userId: number

  @column()
  declare capacity: ApproverCapacityName

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>
}
