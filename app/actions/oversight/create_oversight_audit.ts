import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import OversightAudit from '#models/oversight_audit'
import OversightAuditAuditor from '#models/oversight_audit_auditor'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import AuditChecklist from '#services/oversight/oversight_audit_checklist'
import AuditLogger from '#services/audit_logger'
import WardCalendar from '#services/ward_calendar'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import { isFutureDate, toDate } from '#actions/oversight/audit_dates'
import type Contract from '#models/contract'
import type User from '#models/user'
import type { oversightAuditValidator } from '#validators/oversight/oversight_audit'

export type OversightAuditInput = Infer<typeof oversightAuditValidator>

export type CreateOversightAuditResult = { ok: true; audit: OversightAudit } | { ok: false; field: string; message: string }

/**
 * Logs an on-site audit of a contract: the date, the auditors, and the
 * checklist generated from the contract's special-terms clauses and
 * measures as they stand today (copied, so later changes leave it alone).
 * Nothing is saved when a rule fails.
 */
export default class CreateOversightAudit {
  async handle(contract: Contract, input: OversightAuditInput, user: User): Promise<CreateOversightAuditResult> {
    const auditedOn = toDate(input.auditedOn)
    if (isFutureDate(auditedOn)) {
      return { ok: false, field: 'auditedOn', message: 'oversight_audits.errors.future_date' }
    }
    if (contract.contractorId === null) {
      return { ok: false, field: 'auditedOn', message: 'oversight_audits.errors.no_contractor' }
    }

    return db.transaction(async (trx): Promise<CreateOversightAuditResult> => {
      const auditors = await new ResolveAuditors().handle(input.auditorIds, trx)
      if (!auditors.ok) return auditors
      const drafts = await AuditChecklist.forContract(contract, trx)
      if (drafts.length === 0) {
        return { ok: false, field: 'auditedOn', message: 'oversight_audits.errors.empty_checklist' }
      }

      const audit = await OversightAudit.create(
        {
          contractId: contract.id,
          auditedOn,
          fiscalYear: WardCalendar.fiscalYear(auditedOn),
          status: 'in_progress',
          completedAt: null,
          specialTermSetId: contract.specialTermSetId,
          createdByUserId: user.id,
        },
        { client: trx }
      )
      await OversightAuditAuditor.createMany(
        auditors.users.map((auditor, index) => ({
          auditId: audit.id,
          userId: auditor.id,
          fullName: auditor.fullName,
          departmentName: auditor.department?.name ?? null,
          position: index + 1,
        })),
        { client: trx }
      )
      await OversightAuditChecklistLine.createMany(
        drafts.map((draft) => ({ auditId: audit.id, ...draft, answer: null, note: null })),
        { client: trx }
      )
      await AuditLogger.record(
        {
          action: 'oversight_audit.create',
          subject: audit,
          changedFields: ['auditedOn', 'auditors', 'checklist'],
          details: { contractId: contract.id, lines: drafts.length, auditors: auditors.users.length },
        },
        trx
      )
      return { ok: true, audit }
    })
  }
}
