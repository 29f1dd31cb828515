import { BaseModel, column } from '@adonisjs/lucid/orm'
import AuditChecklist, {
  type AuditAnswer,
  type ChecklistSource,
} from '#services/oversight/oversight_audit_checklist'

/**
 * One line of an audit's checklist: a clause or a measure, its text as it was
 * when the audit was created, and the answer (適合 / 不適合 / 該当なし) with a note.
 */
export default class OversightAuditChecklistLine extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare auditId: number

  @column()
  declare position: number

  @column()
  declare source: ChecklistSource

  /** Clause number, or the measure's place in its list. */
  @column()
  declare number: number

  /** The clause heading without parentheses, e.g. 秘密の保持; null for measures. */
  @column()
  declare heading: string | null

  @column()
  declare text: string

  @column()
  declare answer: AuditAnswer | null

  @column()
  declare note: string | null

  /** 特記事項 2（秘密の保持） */
  get reference(): string {
    return AuditChecklist.referenceOf(this)
  }
}
