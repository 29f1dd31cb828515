import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import Opinion from '#models/opinion'
import Department from '#models/department'
import User from '#models/user'
import type { ReplyMethod, ReplyStatus } from '#enums/opinion'
import { drafterIdsColumn } from '#services/separation_of_duties'

/**
 * A reply to an opinion: drafted by the lead department, approved by its
 * supervisor, then sent (in the portal with a notice mail, or recorded as
 * posted / phoned / faxed / emailed).
 */
export default class OpinionReply extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare opinionId: number

  @column()
  declare departmentId: number | null

  @column()
  declare body: string

  @column()
  declare method: ReplyMethod

  @column()
  declare status: ReplyStatus

  @column()
  declare draftedByUserId: number | null

  /** Everyone who wrote or rewrote the reply: none of them approves it. */
  @column(drafterIdsColumn)
  declare drafterUserIds: number[]

  @column.dateTime()
  declare requestedAt: DateTime | null

  /** Who asked for approval (separation of duties). */
  @column()
  declare requestedByUserId: number | null

  /** When the request, unanswered for 3 open days, went to the acting approvers (once per request). */
  @column.dateTime()
  declare approvalEscalatedAt: DateTime | null

  @column()
  declare approvedByUserId: number | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column()
  declare returnComment: string | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column()
  declare sentByUserId: number | null

  /** First time the citizen opened it in the portal. */
  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Opinion)
  declare opinion: BelongsTo<typeof Opinion>

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User, { foreignKey: 'draftedByUserId' })
  declare draftedBy: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'approvedByUserId' })
  declare approvedBy: BelongsTo<typeof User>
}
