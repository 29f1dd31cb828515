import type { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type OversightAudit from '#models/oversight_audit'
import type OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import type OversightAuditCorrectiveAction from '#models/oversight_audit_corrective_action'
import type AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'

/** Whether an audit in progress can be completed now, and what holds it back. */
export interface AuditReadiness {
  /** Every line answered and no corrective action open. */
  ready: boolean
  /** Every line is answered, but these corrective actions have no done date (it stays in progress). */
  openActions: OversightAuditCorrectiveAction[]
}

/**
 * When an on-site audit is complete: every checklist line answered and no
 * corrective action open (without a done date). Completing it satisfies the
 * contract's audit duty for the fiscal year of the audit date.
 */
export default class AuditCompletion {
  /** Whether the audit (in progress) can be completed with these lines and actions. */
  static readiness(
    audit: OversightAudit,
    lines: OversightAuditChecklistLine[],
    actions: OversightAuditCorrectiveAction[]
  ): AuditReadiness {
    const answered = lines.length > 0 && lines.every((line) => line.answer !== null)
    if (audit.isCompleted || !answered) return { ready: false, openActions: [] }
    const openActions = actions.filter((action) => !action.doneOn)
    return { ready: openActions.length === 0, openActions }
  }

  /** Marks the audit completed (the caller saves it and then calls `record`). */
  static markCompleted(audit: OversightAudit, now: DateTime): void {
    audit.merge({ status: 'completed', completedAt: now })
  }

  /** After the completed audit is saved: the audit duty of its fiscal year, and the audit log. */
  static async record(
    audit: OversightAudit,
    auditLog: AuditLogger,
    trx: TransactionClientContract
  ): Promise<void> {
    const satisfied = await DutyLedger.satisfy(
      audit.contractId,
      'audit',
      String(audit.fiscalYear),
      { type: 'oversight_audit', id: audit.id, on: audit.auditedOn },
      auditLog,
      trx
    )
    await auditLog.record(
      {
        action: 'oversight_audit.complete',
        subject: audit,
        details: { fiscalYear: audit.fiscalYear, dutySatisfied: satisfied },
      },
      trx
    )
  }
}
