import { BaseModel, column } from '@adonisjs/lucid/orm'
import { booleanColumn, jsonColumn } from '#services/column_types'
import { printedItems } from '#services/register/special_terms_text'
import type { ClauseDutyKind } from '#enums/register'
import type { SubcontractRule } from '#enums/clause_rules'

/**
 * A numbered clause: (秘密の保持) 2 乙は、…  It may create an oversight duty.
 * Stored as written: see CreateSpecialTermVersion.
 */
export default class SpecialTermClause extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare setId: number

  /** The clause's position in its set (1…n). */
  @column()
  declare number: number

  /** The number as written ('１', '10', '第3条'); null = `number`. */
  @column()
  declare numberLabel: string | null

  /** Without the parentheses; '' = none (also the clauses after a heading they share). */
  @column()
  declare heading: string

  /** '\n' separates paragraphs. */
  @column()
  declare body: string

  /** Sub-items as written, with their markers ('(1) …', 'ア …'). */
  @column(jsonColumn)
  declare items: string[]

  @column()
  declare duty: ClauseDutyKind | null

  /** The subcontracting rule the clause creates (see #services/clause_rules); null = none. */
  @column()
  declare subcontractRule: SubcontractRule | null

  /** The clause requires the contractor to train its staff: a training record is owed each fiscal year. */
  @column(booleanColumn)
  declare requiresTraining: boolean

  /** The number as printed. */
  get printedNumber(): string {
    return this.numberLabel?.trim() || String(this.number)
  }

  /** The body's paragraphs. */
  get paragraphs(): string[] {
    return this.body.split(/\r?\n/).filter((line) => line.trim() !== '')
  }

  /** The items as printed: as written, （n） added to an item entered without a marker. */
  get printedItems(): string[] {
    return printedItems(this.items ?? [])
  }
}
