import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import Contract from '#models/contract'
import SpecialTermSet from '#models/special_term_set'
import User from '#models/user'
import OversightAuditAuditor from '#models/oversight_audit_auditor'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import OversightAuditFinding from '#models/oversight_audit_finding'
import OversightAuditCorrectiveAction from '#models/oversight_audit_corrective_action'
import OversightAuditAttachment from '#models/oversight_audit_attachment'

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

  @hasMany(() => OversightAuditAuditor, {
    foreignKey: 'auditId',
    onQuery: (query) => query.orderBy('position'),
  })
  declare auditors: HasMany<typeof OversightAuditAuditor>

  @hasMany(() => OversightAuditChecklistLine, {
    foreignKey: 'auditId',
    onQuery: (query) => query.orderBy('position'),
  })
  declare lines: HasMany<typeof OversightAuditChecklistLine>

  @hasMany(() => OversightAuditFinding, {
    foreignKey: 'auditId',
    onQuery: (query) => query.orderBy('position').orderBy('id'),
  })
  declare findings: HasMany<typeof OversightAuditFinding>

  @hasMany(() => OversightAuditCorrectiveAction, {
    foreignKey: 'auditId',
    onQuery: (query) => query.orderBy('position').orderBy('id'),
  })
  declare correctiveActions: HasMany<typeof OversightAuditCorrectiveAction>

  @hasMany(() => OversightAuditAttachment, {
    foreignKey: 'auditId',
    onQuery: (query) => query.orderBy('id'),
  })
  declare attachments: HasMany<typeof OversightAuditAttachment>

  get isCompleted(): boolean {
    return this.status === 'completed'
  }

  /**
   * Non-compliant lines that no finding or corrective action refers to: allowed,
   * but shown. Expects `lines`, `findings` and `correctiveActions` to be loaded.
   */
  get uncoveredLines(): OversightAuditChecklistLine[] {
    const covered = new Set(
      [...this.findings, ...this.correctiveActions].map((entry) => entry.lineId)
    )
    return this.lines.filter((line) => line.answer === 'non_compliant' && !covered.has(line.id))
  }
}
