import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import PersonalDataSystem from '#models/personal_data_system'
import Contractor from '#models/contractor'
import SpecialTermSet from '#models/special_term_set'
import ContractDataItem from '#models/contract_data_item'
import OversightDuty from '#models/oversight_duty'
import { booleanColumn, jsonColumn } from '#services/column_types'
import type { ContractStatus, PeriodType, RecordMedium, ReportFrequency, SelectionMethod } from '#enums/register'

/**
 * An outsourcing contract (委託) of a system; with a parent contract it is
 * a subcontract (再委託) of the contractor (乙) with a further company (丙).
 */
export default class Contract extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare systemId: number

  @column()
  declare parentContractId: number | null

  /** null while the contractor is undecided (未定). */
  @column()
  declare contractorId: number | null

  /** 件名 */
  @column()
  declare title: string

  @column()
  declare selectionMethod: SelectionMethod | null

  /** e.g. 6月に特命随契で事業者を指定する予定 */
  @column()
  declare undecidedNote: string | null

  /** 委託理由 */
  @column()
  declare reason: string

  /** 委託の内容, one entry per numbered sub-task. */
  @column(jsonColumn)
  declare tasks: string[]

  @column()
  declare periodType: PeriodType

  @column.date()
  declare startsOn: DateTime | null

  @column.date()
  declare endsOn: DateTime | null

  /** e.g. 現行の庁舎総合管理業務委託契約に基づき */
  @column()
  declare periodNote: string | null

  @column(jsonColumn)
  declare media: RecordMedium[]

  /** 委託にあたり区が行う情報保護対策 (運用上) */
  @column(jsonColumn)
  declare wardMeasuresOperational: string[]

  /** 委託にあたり区が行う情報保護対策 (システム上) */
  @column(jsonColumn)
  declare wardMeasuresSystem: string[]

  /** 受託事業者に行わせる情報保護対策 (運用上) */
  @column(jsonColumn)
  declare contractorMeasuresOperational: string[]

  /** 受託事業者に行わせる情報保護対策 (システム上) */
  @column(jsonColumn)
  declare contractorMeasuresSystem: string[]

  /** The special-terms version attached at signing; it stays attached. */
  @column()
  declare specialTermSetId: number | null

  @column(booleanColumn)
  declare handlesPersonalData: boolean

  /** Subcontracts: the ward's (甲) approval. */
  @column.date()
  declare approvedOn: DateTime | null

  @column()
  declare approvedBy: string | null

  @column()
  declare status: ContractStatus

  /** Periodic reports the contract asks for, if any. */
  @column()
  declare reportFrequency: ReportFrequency | null

  /** Days after the end within which the deletion certificate is due. */
  @column()
  declare deletionCertificateDays: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => PersonalDataSystem, { foreignKey: 'systemId' })
  declare system: BelongsTo<typeof PersonalDataSystem>

  @belongsTo(() => Contract, { foreignKey: 'parentContractId' })
  declare parent: BelongsTo<typeof Contract>

  @hasMany(() => Contract, { foreignKey: 'parentContractId' })
  declare subcontracts: HasMany<typeof Contract>

  @belongsTo(() => Contractor)
  declare contractor: BelongsTo<typeof Contractor>

  @belongsTo(() => SpecialTermSet)
  declare specialTermSet: BelongsTo<typeof SpecialTermSet>

  @hasMany(() => ContractDataItem)
  declare itemLinks: HasMany<typeof ContractDataItem>

  @hasMany(() => OversightDuty)
  declare duties: HasMany<typeof OversightDuty>

  /**
   * A contract with what access checks and pages read about the parties:
   * the system (and its department), the contractor, the parent's contractor.
   */
  static findWithParties(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .preload('parent', (parent) => parent.preload('contractor'))
      .firstOrFail()
  }

  get isSubcontract(): boolean {
    return this.parentContractId !== null
  }

  get isUndecided(): boolean {
    return this.contractorId === null
  }
}
