import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Department from '#models/department'
import SubjectGroup from '#models/subject_group'
import DataItem from '#models/data_item'
import Contract from '#models/contract'
import SystemVersion from '#models/system_version'
import { booleanColumn, jsonColumn } from '#services/column_types'
import type { FileType, Lifecycle, RecordMedium } from '#enums/register'

/**
 * A registered business / system that handles personal data (登録業務).
 */
export default class PersonalDataSystem extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare departmentId: number

  /** 登録業務の名称 */
  @column()
  declare name: string

  /** 事業名 (when the council document names the business differently) */
  @column()
  declare businessName: string | null

  /** 目的 */
  @column()
  declare purpose: string

  /** 対象者 (one line; the numbered groups are SubjectGroup rows) */
  @column()
  declare subjectsSummary: string | null

  /** 事業内容 */
  @column()
  declare description: string | null

  /** 記録するコンピュータ */
  @column()
  declare recordingComputer: string | null

  @column(jsonColumn)
  declare media: RecordMedium[]

  @column()
  declare lifecycle: Lifecycle

  @column.date()
  declare startedOn: DateTime | null

  @column.date()
  declare retiredOn: DateTime | null

  /** 新規開発・追加・変更の理由 */
  @column()
  declare changeReason: string | null

  /** 新規開発・追加・変更の内容 */
  @column()
  declare changeContent: string | null

  /** 開発等を委託する場合における個人情報保護対策 */
  @column()
  declare developmentMeasures: string | null

  /** 新規開発・追加・変更の時期 */
  @column()
  declare changeSchedule: string | null

  /** 収集方法 (個人情報ファイル簿) */
  @column()
  declare collectionMethod: string | null

  /** 経常的提供先 (個人情報ファイル簿) */
  @column()
  declare regularRecipients: string | null

  @column()
  declare fileType: FileType

  @column(booleanColumn)
  declare publishedInFileRegister: boolean

  /** 他の法令による訂正・利用停止の特別の手続 */
  @column()
  declare otherLawProcedures: string | null

  /** Number of the latest SystemVersion. */
  @column()
  declare version: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Department)
  declare department: BelongsTo<typeof Department>

  @hasMany(() => SubjectGroup, {
    foreignKey: 'systemId',
    onQuery: (query) => query.orderBy('number'),
  })
  declare subjectGroups: HasMany<typeof SubjectGroup>

  @hasMany(() => DataItem, {
    foreignKey: 'systemId',
    onQuery: (query) => query.orderBy('sortOrder').orderBy('id'),
  })
  declare dataItems: HasMany<typeof DataItem>

  @hasMany(() => Contract, { foreignKey: 'systemId' })
  declare contracts: HasMany<typeof Contract>

  @hasMany(() => SystemVersion, { foreignKey: 'systemId' })
  declare versions: HasMany<typeof SystemVersion>

  /** True when any data item is 要配慮個人情報. */
  get hasSpecialCareData(): boolean {
    return (this.dataItems ?? []).some((item) => item.specialCareCategory !== null)
  }
}
