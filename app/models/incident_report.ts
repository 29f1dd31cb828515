import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import User from '#models/user'
import IncidentReportItem from '#models/incident_report_item'
import { booleanColumn, jsonColumn } from '#services/column_types'
import type {
  IncidentKind,
  NotificationMethod,
  ReportableReason,
} from '#services/oversight/incident_reportability'

/**
 * An incident report (事故報告) of a contract: a leak, loss or damage of
 * personal data (漏えい等), filed by the contractor or the department, with
 * the reports to the Personal Information Protection Commission (速報 and
 * 確報) and the notification of the individuals concerned.
 */
export default class IncidentReport extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  @column()
  declare reportedByUserId: number | null

  @column()
  declare kind: IncidentKind

  /** 発生日時; null while unknown. */
  @column.dateTime()
  declare occurredAt: DateTime | null

  /** 発見日時: the reporting deadlines count from here. */
  @column.dateTime()
  declare discoveredAt: DateTime

  /** 区への報告日時 */
  @column.dateTime()
  declare reportedToWardAt: DateTime

  /** 本人の数; null when unknown (peopleAffectedUnknown). */
  @column()
  declare peopleAffected: number | null

  @column(booleanColumn)
  declare peopleAffectedUnknown: boolean

  /** 概要 */
  @column()
  declare summary: string

  /** 原因 */
  @column()
  declare cause: string | null

  /** 二次被害又はそのおそれの有無及びその内容 */
  @column()
  declare secondaryDamage: string | null

  /** 再発防止のための措置・対応 */
  @column()
  declare measures: string | null

  /** 区の指示 (ward staff only) */
  @column()
  declare wardInstructions: string | null

  /** 経過 */
  @column()
  declare followUp: string | null

  /** 公表の実施状況 */
  @column()
  declare publication: string | null

  /** 不正に利用されることにより財産的被害が生じるおそれ */
  @column(booleanColumn)
  declare financialDamageRisk: boolean

  /** 不正の目的をもって行われたおそれ */
  @column(booleanColumn)
  declare improperPurposeSuspected: boolean

  /** Stored decision (IncidentReportability), for filtering and sorting. */
  @column(booleanColumn)
  declare reportable: boolean

  @column(jsonColumn)
  declare reportableReasons: ReportableReason[]

  @column.date()
  declare preliminaryDueOn: DateTime | null

  @column.date()
  declare finalDueOn: DateTime | null

  /** The earliest Commission deadline still open. */
  @column.date()
  declare nextDueOn: DateTime | null

  /** 個人情報保護委員会への速報 */
  @column.dateTime()
  declare ppcPreliminarySentAt: DateTime | null

  /** 個人情報保護委員会への確報 */
  @column.dateTime()
  declare ppcFinalSentAt: DateTime | null

  /** 本人への通知: when and how. */
  @column.dateTime()
  declare individualsNotifiedAt: DateTime | null

  @column()
  declare notificationMethod: NotificationMethod | null

  @column()
  declare notificationNote: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @belongsTo(() => User, { foreignKey: 'reportedByUserId' })
  declare reportedBy: BelongsTo<typeof User>

  @hasMany(() => IncidentReportItem)
  declare items: HasMany<typeof IncidentReportItem>
}
