import { DateTime } from 'luxon'
import { BaseModel, beforeSave, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Topic from '#models/topic'
import Citizen from '#models/citizen'
import Department from '#models/department'
import OpinionDepartment from '#models/opinion_department'
import OpinionEvent from '#models/opinion_event'
import OpinionReply from '#models/opinion_reply'
import OpinionAttachment from '#models/opinion_attachment'
import fieldEncryption from '#services/field_encryption'
import {
  booleanColumn,
  codeListColumn,
  optionalBooleanColumn,
  retentionEncryptedColumn,
} from '#services/column_types'
import {
  OPEN_OPINION_STATUSES,
  type ConsentPurpose,
  type OpinionChannel,
  type OpinionKind,
  type OpinionStatus,
  type ReplyMethod,
} from '#enums/opinion'

/** Where an opinion stands against its due date. */
export type DueState = 'none' | 'on_time' | 'near_due' | 'overdue'

/**
 * Due-date state from ward dates written yyyy-MM-dd (compared as text): overdue after the due
 * date, near due from `nearDueFrom` (the caller's threshold), none once a reply is no longer owed.
 */
export function dueStateOf(
  dueOn: string | null,
  status: OpinionStatus,
  today: string,
  nearDueFrom: string
): DueState {
  if (!dueOn || !OPEN_OPINION_STATUSES.includes(status)) return 'none'
  if (today > dueOn) return 'overdue'
  if (nearDueFrom >= dueOn) return 'near_due'
  return 'on_time'
}

/**
 * A submission (意見等) to the ward: an opinion, request, inquiry, complaint
 * or proposal, from any channel. The submitter's personal data is encrypted
 * per field; name, phone and email are found through blind indexes. The
 * text itself stays readable for statistics and search.
 */
export default class Opinion extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare channel: OpinionChannel

  @column()
  declare kind: OpinionKind

  @column()
  declare topicId: number | null

  @column()
  declare subject: string

  @column()
  declare body: string

  @column.dateTime()
  declare receivedAt: DateTime

  @column()
  declare fiscalYear: number

  /** 'YYYY-MM' of receipt in the ward zone (statistics group by it). */
  @column()
  declare receivedMonth: string

  /** After-hours call-center intake: when it reaches the departments (next open day). */
  @column.dateTime()
  declare handoverAt: DateTime | null

  /** 14 open days after receipt (or handover); null when no reply is owed. */
  @column.date()
  declare dueOn: DateTime | null

  @column()
  declare status: OpinionStatus

  @column(booleanColumn)
  declare anonymous: boolean

  @column(booleanColumn)
  declare replyWanted: boolean

  @column()
  declare replyMethod: ReplyMethod | null

  @column()
  declare citizenId: number | null

  @column()
  declare leadDepartmentId: number | null

  @column(retentionEncryptedColumn)
  declare submitterName: string | null

  @column({ serializeAs: null })
  declare nameIndex: string | null

  @column(retentionEncryptedColumn)
  declare submitterPhone: string | null

  @column({ serializeAs: null })
  declare phoneIndex: string | null

  @column(retentionEncryptedColumn)
  declare submitterEmail: string | null

  @column({ serializeAs: null })
  declare emailIndex: string | null

  @column(retentionEncryptedColumn)
  declare submitterPostalCode: string | null

  @column(retentionEncryptedColumn)
  declare submitterAddress: string | null

  @column(retentionEncryptedColumn)
  declare submitterFax: string | null

  @column(booleanColumn)
  declare collectedByCallCenter: boolean

  @column.date()
  declare personalDataExpiresOn: DateTime | null

  /** Call center: whether the caller agreed to give personal data (null: none was taken). */
  @column(optionalBooleanColumn)
  declare personalDataConsent: boolean | null

  /** The uses explained to the caller before their personal data was taken (利用目的の説明). */
  @column(codeListColumn)
  declare consentPurposes: ConsentPurpose[]

  @column()
  declare consentPurposeNote: string | null

  @column.dateTime()
  declare personalDataDeletedAt: DateTime | null

  @column.dateTime()
  declare repliedAt: DateTime | null

  /** Open days from receipt to the reply (statistics). */
  @column()
  declare replyOpenDays: number | null

  @column.dateTime()
  declare closedAt: DateTime | null

  @column()
  declare createdByUserId: number | null

  /** Id in the previous system (import is idempotent by it). */
  @column()
  declare legacyId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Topic)
  declare topic: BelongsTo<typeof Topic>

  @belongsTo(() => Citizen)
  declare citizen: BelongsTo<typeof Citizen>

  @belongsTo(() => Department, { foreignKey: 'leadDepartmentId' })
  declare leadDepartment: BelongsTo<typeof Department>

  @hasMany(() => OpinionDepartment)
  declare assignments: HasMany<typeof OpinionDepartment>

  @hasMany(() => OpinionEvent)
  declare events: HasMany<typeof OpinionEvent>

  @hasMany(() => OpinionReply)
  declare replies: HasMany<typeof OpinionReply>

  @hasMany(() => OpinionAttachment)
  declare attachments: HasMany<typeof OpinionAttachment>

  @beforeSave()
  static indexPersonalData(opinion: Opinion) {
    const dirty = opinion.$dirty
    // Call-center data: indexes keyed by the collection month's retention key, shredded with it.
    const month = opinion.retentionMonth
    if ('submitterName' in dirty) {
      opinion.nameIndex = opinion.submitterName
        ? fieldEncryption.nameIndex(opinion.submitterName, month)
        : null
    }
    if ('submitterPhone' in dirty) {
      opinion.phoneIndex = opinion.submitterPhone
        ? fieldEncryption.phoneIndex(opinion.submitterPhone, month)
        : null
    }
    if ('submitterEmail' in dirty) {
      opinion.emailIndex = opinion.submitterEmail
        ? fieldEncryption.emailIndex(opinion.submitterEmail, month)
        : null
    }
  }

  /**
   * The collection month whose retention key encrypts this opinion's personal
   * data (call-center data is deleted one year after collection by
   * crypto-shredding, see CallCenterRetention), or null.
   */
  get retentionMonth(): string | null {
    return this.collectedByCallCenter && this.receivedMonth ? this.receivedMonth : null
  }

  /** 受付番号 shown to staff and citizens, e.g. 2026-000123. */
  get referenceNo(): string {
    return Opinion.referenceNoOf(this.fiscalYear, this.id)
  }

  /**
   * The columns a row or a mail that names an opinion reads: its 受付番号 (id, fiscal year), its
   * subject and due date. No submitter field: none is read, and decrypted, where none is shown.
   */
  static readonly HEADLINE_COLUMNS = ['id', 'fiscal_year', 'subject', 'due_on'] as const

  /** 受付番号: fiscal year and number, e.g. 2026-000123. */
  static referenceNoOf(fiscalYear: number, id: number): string {
    return `${fiscalYear}-${String(id).padStart(6, '0')}`
  }

  get isOpen(): boolean {
    return OPEN_OPINION_STATUSES.includes(this.status)
  }

  get hasPersonalData(): boolean {
    return Boolean(
      this.submitterName ||
      this.submitterPhone ||
      this.submitterEmail ||
      this.submitterAddress ||
      this.submitterFax
    )
  }

  /** Due-date state as of `today` (near due: within NEAR_DUE days, computed by the caller's threshold). */
  dueStateOn(today: DateTime, nearDueFrom: DateTime): DueState {
    return dueStateOf(
      this.dueOn?.toISODate() ?? null,
      this.status,
      today.toISODate()!,
      nearDueFrom.toISODate()!
    )
  }
}
