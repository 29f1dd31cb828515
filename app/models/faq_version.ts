import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import FaqEntry, { type FaqLink } from '#models/faq_entry'
import Topic from '#models/topic'
import User from '#models/user'
import { booleanColumn, jsonColumn } from '#services/column_types'

/** A request awaiting the supervisor, an approved (published once) or a returned version. */
export const FAQ_VERSION_STATES = ['awaiting_approval', 'approved', 'returned'] as const
export type FaqVersionState = (typeof FAQ_VERSION_STATES)[number]

/**
 * A frozen copy of an FAQ entry's content, made when approval is requested
 * (or when a published entry is imported). Approved versions are what
 * citizens read; versions are never edited, only decided once.
 */
export default class FaqVersion extends BaseModel {
  static readonly updatedAt = false

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare faqEntryId: number

  @column()
  declare version: number

  @column()
  declare topicId: number | null

  @column()
  declare question: string

  @column()
  declare answer: string

  @column()
  declare keywords: string

  @column(jsonColumn)
  declare relatedLinks: FaqLink[]

  @column()
  declare internalNotes: string | null

  @column(booleanColumn)
  declare visibleToCallCenter: boolean

  @column()
  declare state: FaqVersionState

  @column()
  declare requestedByUserId: number | null

  @column.dateTime()
  declare requestedAt: DateTime | null

  /** When the request, unanswered for 3 open days, went to the acting approvers (once). */
  @column.dateTime()
  declare approvalEscalatedAt: DateTime | null

  @column()
  declare decidedByUserId: number | null

  @column.dateTime()
  declare decidedAt: DateTime | null

  /** The supervisor's comment, required when a change is sent back. */
  @column()
  declare decisionComment: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @belongsTo(() => FaqEntry)
  declare entry: BelongsTo<typeof FaqEntry>

  @belongsTo(() => Topic)
  declare topic: BelongsTo<typeof Topic>

  @belongsTo(() => User, { foreignKey: 'requestedByUserId' })
  declare requestedBy: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'decidedByUserId' })
  declare decidedBy: BelongsTo<typeof User>
}
