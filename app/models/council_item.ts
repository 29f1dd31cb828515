import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import CouncilMeeting from '#models/council_meeting'
import CouncilItemAnnex from '#models/council_item_annex'
import Department from '#models/department'
import User from '#models/user'
import { jsonColumn } from '#services/column_types'
import { drafterIdsColumn } from '#services/separation_of_duties'
import type { CouncilKind, CouncilOutcome, CouncilStatus } from '#enums/council'
import type { CouncilDocumentData } from '#services/council/council_document_data'
import type { ExtraRow } from '#services/council/template_rows'

export interface CouncilBasis {
  kind: CouncilKind
  /** e.g. 第16条第1項本文（電子計算機による個人情報の処理開発、変更） */
  articles: string[]
}

/**
 * An item for the council (諮問・報告事項): drafted by a department,
 * approved by its supervisor, submitted, put on a meeting's agenda, decided.
 */
export default class CouncilItem extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare meetingId: number | null

  @column()
  declare departmentId: number

  /** 資料33, 資料49-1 */
  @column()
  declare documentNumber: string | null

  /** 件名 */
  @column()
  declare subject: string

  /** 条例の根拠, grouped by kind. */
  @column(jsonColumn)
  declare basis: CouncilBasis[]

  /** 担当部課 as the document states it (e.g. 区長室区政情報課); null = the department's name. */
  @column()
  declare departmentLabel: string | null

  /** Rows of 事業の概要 the template does not model, as written (see TemplateRows.withExtraRows). */
  @column(jsonColumn)
  declare extraRows: ExtraRow[]

  @column()
  declare contactSection: string | null

  @column()
  declare contactPerson: string | null

  @column()
  declare contactExtension: string | null

  @column()
  declare status: CouncilStatus

  /** Who first drafted the item (separation of duties). */
  @column()
  declare createdByUserId: number | null

  /** Everyone who wrote or edited the item: none of them approves it. */
  @column(drafterIdsColumn)
  declare drafterUserIds: number[]

  /** 承認依頼: when and by whom the department's approvers were asked (null: not asked yet). */
  @column.dateTime()
  declare requestedAt: DateTime | null

  @column()
  declare requestedByUserId: number | null

  /** When the request, unanswered for 3 open days, went to the acting approvers (once). */
  @column.dateTime()
  declare approvalEscalatedAt: DateTime | null

  @column()
  declare approvedByUserId: number | null

  @column.dateTime()
  declare approvedAt: DateTime | null

  @column.dateTime()
  declare submittedAt: DateTime | null

  @column()
  declare outcome: CouncilOutcome | null

  @column.date()
  declare decidedOn: DateTime | null

  @column()
  declare conditions: string | null

  /** The document as decided: later register changes do not alter it. */
  @column({
    prepare: (value: CouncilDocumentData | null) => (value ? JSON.stringify(value) : null),
    consume: (value: string | null) => (value ? JSON.parse(value) : null),
  })
  declare frozenDocument: CouncilDocumentData | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => CouncilMeeting, { foreignKey: 'meetingId' })
  declare meeting: BelongsTo<typeof CouncilMeeting>

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @belongsTo(() => User, { foreignKey: 'approvedByUserId' })
  declare approvedBy: BelongsTo<typeof User>

  @belongsTo(() => User, { foreignKey: 'requestedByUserId' })
  declare requestedBy: BelongsTo<typeof User>

  @hasMany(() => CouncilItemAnnex, { foreignKey: 'itemId' })
  declare annexes: HasMany<typeof CouncilItemAnnex>

  /** The item's kind for lists: 諮問 when anything is consulted. */
  get kind(): CouncilKind {
    const kinds = this.basis.map((entry) => entry.kind)
    return kinds.includes('consultation')
      ? 'consultation'
      : kinds.includes('report')
        ? 'report'
        : 'prior_report'
  }
}
