import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import SystemVersion from '#models/system_version'
import type { RowOverrides, TemplateKind } from '#enums/document_template'
import type { ExtraRow } from '#services/council/template_rows'
import { jsonColumn } from '#services/column_types'

/** { rowKey: { label?, hidden? } } in a text column; absent or broken = no overrides. */
const overridesColumn = {
  prepare: (value: RowOverrides | null | undefined) => JSON.stringify(value ?? {}),
  consume: (value: string | null): RowOverrides => {
    if (!value) return {}
    try {
      const parsed = JSON.parse(value)
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
    } catch {
      return {}
    }
  },
}

/**
 * One 別紙 of an item: a system (its development or change) or one of its
 * contracts / subcontracts. Once the item is decided it points at the
 * register version that was approved.
 *
 * As written in the document: its own 件名, caption lines above its table,
 * the 保有課 as stated, and per-row label overrides / hidden rows of its
 * template (system_annex, contract_annex or subcontract_annex).
 */
export default class CouncilItemAnnex extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare itemId: number

  @column()
  declare systemId: number

  @column()
  declare contractId: number | null

  /**
   * Lines printed above the annex's table, separated by \n, as written, e.g.
   * ◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告
   */
  @column()
  declare caption: string | null

  /** The annex's own 件名; null = the item's subject (system annex) or the contract's title. */
  @column()
  declare subject: string | null

  /** 保有課(担当課) as the document states it; null = the system's department name. */
  @column()
  declare holderLabel: string | null

  /** For this annex only: another label for a row of its template, or the row hidden. */
  @column(overridesColumn)
  declare rowOverrides: RowOverrides

  /** Rows of this annex's table the template does not model, as written (see TemplateRows.withExtraRows). */
  @column(jsonColumn)
  declare extraRows: ExtraRow[]

  @column()
  declare sortOrder: number

  @column()
  declare approvedVersionId: number | null

  @belongsTo(() => PersonalDataSystem, { foreignKey: 'systemId' })
  declare system: BelongsTo<typeof PersonalDataSystem>

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @belongsTo(() => SystemVersion, { foreignKey: 'approvedVersionId' })
  declare approvedVersion: BelongsTo<typeof SystemVersion>

  /** 'system' or 'contract:<id>': what the annex is about, stable across saves of the item. */
  static keyOf(contractId: number | null): string {
    return contractId === null ? 'system' : `contract:${contractId}`
  }

  get key(): string {
    return CouncilItemAnnex.keyOf(this.contractId)
  }

  /** The caption as lines (empty lines dropped). */
  get captionLines(): string[] {
    return (this.caption ?? '')
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '')
  }

  /** The template the annex prints with; needs `contract` preloaded for contract annexes. */
  get templateKind(): TemplateKind {
    if (this.contractId === null) return 'system_annex'
    return this.contract?.parentContractId ? 'subcontract_annex' : 'contract_annex'
  }

  /** 件名 as printed: its own, else the item's subject (system) or the contract's title. */
  subjectOr(itemSubject: string): string {
    return (
      this.subject ??
      (this.contractId !== null && this.contract ? this.contract.title : itemSubject)
    )
  }
}
