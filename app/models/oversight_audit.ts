import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import SpecialTermSet from '#models/special_term_set'
import User from '#models/user'
import AuditAuditor from '#models/audit_auditor'
import AuditChecklistLine from '#models/audit_checklist_line'
import AuditFinding from '#models/audit_finding'
import AuditCorrectiveAction from '#models/audit_corrective_action'
import AuditAttachment from '#models/audit_attachment'

export type OversightAuditStatus = 'in_progress' | 'completed'

/**
 * An on-site audit (立入調査) of a contract or subcontract: the date, at least
 * two ward auditors, a checklist answered line by line, findings and
 * corrective actions. Completed once every line is answered; it then counts
 * as the contract's audit of the fiscal year of the audit date.
 */
export default class OversightAudit extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contractId: number

  /** 実施日 */
  @column.date()
  declare auditedOn: DateTime

  /** 年度 of the audit date (April–March). */
  @column()
  declare fiscalYear: number

  @column()
  declare status: OversightAuditStatus

  @column.dateTime()
  declare completedAt: DateTime | null

  /** The special-terms version the checklist was generated from. */
  @column()
  declare specialTermSetId: number | null

  @column()
  declare createdByUserId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contract)
  declare contract: BelongsTo<typeof Contract>

  @belongsTo(() => SpecialTermSet)
  declare specialTermSet: BelongsTo<typeof SpecialTermSet>

  @belongsTo(() => User, { foreignKey: 'createdByUserId' })
  declare createdBy: BelongsTo<typeof User>

  @hasMany(() => AuditAuditor, { foreignKey: 'auditId', onQuery: (query) => query.orderBy('position') })
  declare auditors: HasMany<typeof AuditAuditor>

  @hasMany(() => AuditChecklistLine, { foreignKey: 'auditId', onQuery: (query) => query.orderBy('position') })
  declare lines: HasMany<typeof AuditChecklistLine>

  @hasMany(() => AuditFinding, { foreignKey: 'auditId', onQuery: (query) => query.orderBy('position').orderBy('id') })
  declare findings: HasMany<typeof AuditFinding>

  @hasMany(() => AuditCorrectiveAction, { foreignKey: 'auditId', onQuery: (query) => query.orderBy('position').orderBy('id') })
  declare correctiveActions: HasMany<typeof AuditCorrectiveAction>

  @hasMany(() => AuditAttachment, { foreignKey: 'auditId', onQuery: (query) => query.orderBy('id') })
  declare attachments: HasMany<typeof AuditAttachment>

  get isCompleted(): boolean {
    return this.status === 'completed'
  }

  /**
   * Non-compliant lines that no finding or corrective action refers to: allowed,
   * but shown. Expects `lines`, `findings` and `correctiveActions` to be loaded.
   */
  get uncoveredLines(): AuditChecklistLine[] {
    const covered = new Set([...this.findings, ...this.correctiveActions].map((entry) => entry.lineId))
    return this.lines.filter((line) => line.answer === 'non_compliant' && !covered.has(line.id))
  }
}
