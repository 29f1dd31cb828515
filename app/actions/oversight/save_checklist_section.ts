import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import OversightAuditCorrectiveAction from '#models/oversight_audit_corrective_action'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import AuditCompletion from '#services/oversight/oversight_audit_completion'
import AuditChecklist, {
  type ChecklistSource,
  type ChecklistTally,
} from '#services/oversight/oversight_audit_checklist'
import type OversightAudit from '#models/oversight_audit'
import type { checklistSectionValidator } from '#validators/oversight/oversight_audit'
import RowBatch from '#services/row_batch'

export type ChecklistSectionInput = Infer<typeof checklistSectionValidator>

export interface SaveChecklistSectionResult {
  completedNow: boolean
  /** Every line answered, but these corrective actions are open: the audit stays in progress. */
  openActions: OversightAuditCorrectiveAction[]
  /** The section's answered / total lines after the save. */
  section: ChecklistTally
  /** The whole checklist's. */
  overall: ChecklistTally
}

/**
 * Saves the answers and notes of one section of an audit's checklist (the
 * lines of one source, e.g. 特記事項); the other sections keep theirs. Once
 * every line is answered and no corrective action is open, the audit is
 * completed (AuditCompletion). A completed audit keeps an answer on every
 * line. Refusals are DomainErrors on `lines`; nothing is saved.
 */
@inject()
export default class SaveChecklistSection {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(
    audit: OversightAudit,
    source: ChecklistSource,
    input: ChecklistSectionInput
  ): Promise<SaveChecklistSectionResult> {
    return db.transaction(async (trx): Promise<SaveChecklistSectionResult> => {
      const lines = await OversightAuditChecklistLine.query({ client: trx })
        .where('auditId', audit.id)
        .orderBy('position')
      const own = new Map(
        lines.filter((line) => line.source === source).map((line) => [line.id, line])
      )
      const rows = input.lines ?? []
      // Only this audit's lines of this section (no tampering with ids).
      if (rows.some((row) => !own.has(row.id))) {
        throw new DomainError('oversight_audits.errors.unknown_line', { field: 'lines' })
      }
      if (audit.isCompleted && rows.some((row) => !row.answer)) {
        throw new DomainError('oversight_audits.errors.answer_required', { field: 'lines' })
      }

      const changedFields = new Set<string>()
      for (const row of rows) {
        const line = own.get(row.id)!
        line.merge({ answer: row.answer ?? null, note: row.note ?? null })
        if ('answer' in line.$dirty) changedFields.add('answers')
        if ('note' in line.$dirty) changedFields.add('notes')
      }
      await RowBatch.update(OversightAuditChecklistLine, [...own.values()], trx)

      const actions = await OversightAuditCorrectiveAction.query({ client: trx })
        .where('auditId', audit.id)
        .orderBy('position')
      const { ready, openActions } = AuditCompletion.readiness(audit, lines, actions)
      if (ready) {
        AuditCompletion.markCompleted(audit, this.clock.now())
        changedFields.add('status')
        audit.useTransaction(trx)
        await audit.save()
      }
      await this.auditLog.record(
        {
          action: 'oversight_audit.update',
          subject: audit,
          changedFields: [...changedFields],
          details: { section: source, status: audit.status },
        },
        trx
      )
      if (ready) await AuditCompletion.record(audit, this.auditLog, trx)

      const progress = AuditChecklist.progress(lines)
      return {
        completedNow: ready,
        openActions,
        section: progress.sections.find((entry) => entry.source === source) ?? {
          answered: 0,
          total: 0,
        },
        overall: progress,
      }
    })
  }
}
