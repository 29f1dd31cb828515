import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Department from '#models/department'
import Topic from '#models/topic'
import User from '#models/user'
import FaqVersion from '#models/faq_version'
import { booleanColumn, jsonColumn } from '#services/column_types'

/**
 * draft (下書き・差戻し), awaiting_approval (承認待ち), published (公開中),
 * withdrawn (公開停止). It is the state of the working copy; what citizens
 * read is the approved version (`publishedVersionId`), which stays online
 * while a changed working copy is drafted or waits for approval.
 */
export const FAQ_STATUSES = ['draft', 'awaiting_approval', 'published', 'withdrawn'] as const
export type FaqStatus = (typeof FAQ_STATUSES)[number]

/** A related link shown under the answer. */
export interface FaqLink {
  label: string
  url: string
}

/** The fields that make up an FAQ's content (working copy and versions alike). */
export const FAQ_CONTENT_FIELDS = [
  'topicId',
  'question',
  'answer',
  'keywords',
  'relatedLinks',
  'internalNotes',
  'visibleToCallCenter',
] as const
export type FaqContentField = (typeof FAQ_CONTENT_FIELDS)[number]

/**
 * An FAQ entry (よくある質問と回答) owned by a department. The row is the
 * working copy; its versions hold each state submitted for approval.
 */
export default class FaqEntry extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  /** Id in the previous FAQ system (import is idempotent by it). */
  @column()
  declare legacyId: string | null

  @column()
  declare departmentId: number

  @column()
  declare topicId: number | null

  @column()
  declare question: string

  @column()
  declare answer: string

  /** Words callers use that the text may not (e.g. 「粗大ゴミ」「大型ごみ」), separated by spaces or 、. */
  @column()
  declare keywords: string

  @column(jsonColumn)
  declare relatedLinks: FaqLink[]

  /** For staff and operators only (who to transfer to, exceptions); never shown to citizens. */
  @column()
  declare internalNotes: string | null

  /** Readable by the contracted call center (see FaqScope). */
  @column(booleanColumn)
  declare visibleToCallCenter: boolean

  @column()
  declare status: FaqStatus

  /** The approved version citizens read; null when never published or withdrawn (cleared on withdrawal). */
  @column()
  declare publishedVersionId: number | null

  @column.dateTime()
  declare publishedAt: DateTime | null

  @column()
  declare createdByUserId: number | null

  @column()
  declare updatedByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => Topic)
  declare topic: BelongsTo<typeof Topic>

  @belongsTo(() => FaqVersion, { foreignKey: 'publishedVersionId' })
  declare publishedVersion: BelongsTo<typeof FaqVersion>

  @hasMany(() => FaqVersion)
  declare versions: HasMany<typeof FaqVersion>

  @belongsTo(() => User, { foreignKey: 'updatedByUserId' })
  declare updatedBy: BelongsTo<typeof User>

  /** Citizens can read it: an approved version is online. */
  get isLive(): boolean {
    return this.publishedVersionId !== null
  }

  /** A change can be edited: not while the supervisor is deciding on it. */
  get isEditable(): boolean {
    return this.status !== 'awaiting_approval'
  }

  /** The entry's content as a plain object (to compare with, or freeze into, a version). */
  content(): Pick<FaqEntry, FaqContentField> {
    return {
      topicId: this.topicId,
      question: this.question,
      answer: this.answer,
      keywords: this.keywords,
      relatedLinks: this.relatedLinks,
      internalNotes: this.internalNotes,
      visibleToCallCenter: this.visibleToCallCenter,
    }
  }
}
