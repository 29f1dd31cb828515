import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import PersonalDataSystem from '#models/personal_data_system'
import Contractor from '#models/contractor'
import SpecialTermSet from '#models/special_term_set'
import ContractDataItem from '#models/contract_data_item'
import OversightDuty from '#models/oversight_duty'
import { booleanColumn, jsonColumn } from '#services/column_types'
import type {
  ContractStatus,
  PeriodType,
  RecordMedium,
  ReportFrequency,
  SelectionMethod,
} from '#enums/register'
import type { ItemsLayout, StartsOnPrecision } from '#enums/contracts'
import type { ContractEndReason } from '#enums/clause_rules'

/** A JSON object in a text column ({ medium: detail }). */
const jsonObjectColumn = {
  prepare: (value: unknown) => JSON.stringify(value ?? {}),
  consume: (value: unknown) => {
    if (value === null || value === undefined || value === '') return {}
    return typeof value === 'string' ? JSON.parse(value) : value
  },
}

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

  /**
   * While the contractor is undecided: the text printed in place of the
   * contractor, as the document writes it (e.g. 未定(6月に特命随契で事業者を
   * 指定する予定) or 入札により決定した委託業者).
   */
  @column()
  declare undecidedNote: string | null

  /** 委託理由, multi-line as typed. */
  @column()
  declare reason: string

  /**
   * 委託の内容: one entry per sub-task (blocks separated by a blank line in
   * the form); each block keeps its lines, markers and indentation as typed.
   */
  @column(jsonColumn)
  declare tasks: string[]

  /** Whose data the contract processes, as written (multi-line; printed before the items). */
  @column()
  declare subjectsText: string | null

  /** Printed after the items (e.g. ※ definitions, 3 記録するコンピュータ …), multi-line as typed. */
  @column()
  declare itemsNote: string | null

  /** How the items of a group print: 、-joined, one per line, or ・bullets. */
  @column()
  declare itemsLayout: ItemsLayout

  @column()
  declare periodType: PeriodType

  @column.date()
  declare startsOn: DateTime | null

  /** 'month' prints the start as 平成25年6月 (stored as the 1st of that month). */
  @column()
  declare startsOnPrecision: StartsOnPrecision

  @column.date()
  declare endsOn: DateTime | null

  /** Printed before the dates, e.g. 現行の庁舎総合管理業務委託契約に基づき、 */
  @column()
  declare periodLead: string | null

  /** Printed after the dates (never instead of them), e.g. とする。 or (以降継続) */
  @column()
  declare periodNote: string | null

  @column(jsonColumn)
  declare media: RecordMedium[]

  /** Free detail per medium, e.g. { electronic: 'USBメモリ（暗号化）' }; only ticked media. */
  @column(jsonObjectColumn)
  declare mediaDetails: Partial<Record<RecordMedium, string>>

  /*
   * Measures: one entry per line exactly as typed (markers such as '1 ',
   * '（1）', '【運用上の対策】' and indentation kept; blank lines dropped).
   */

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

  /**
   * The call-center contract (コールセンター業務): its contractor's users read the FAQ
   * entries marked for the call center, of every department (FaqScope).
   */
  @column(booleanColumn)
  declare callCenter: boolean

  /** Subcontracts: the ward's (甲) approval. */
  @column.date()
  declare approvedOn: DateTime | null

  @column()
  declare approvedBy: string | null

  /** Subcontracts: the ward's written approval (document number, or its date and title). */
  @column()
  declare approvalReference: string | null

  /** Subcontracts: the user who recorded the approval. */
  @column()
  declare approvedByUserId: number | null

  /** The last day of work of a contract whose period was not renewed, or that was terminated. */
  @column.date()
  declare endedOn: DateTime | null

  @column()
  declare endReason: ContractEndReason | null

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
