import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import OversightAudit from '#models/oversight_audit'
import OversightAuditAuditor from '#models/oversight_audit_auditor'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import AuditChecklist from '#services/oversight/oversight_audit_checklist'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import WardCalendar from '#services/ward_calendar'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import { isFutureDate, toDate } from '#actions/oversight/audit_dates'
import type Contract from '#models/contract'
import type User from '#models/user'
import type { oversightAuditValidator } from '#validators/oversight/oversight_audit'
import RowBatch from '#services/row_batch'

export type OversightAuditInput = Infer<typeof oversightAuditValidator>

/**
 * Logs an on-site audit of a contract: the date, the auditors, and the
 * checklist generated from the contract's special-terms clauses and
 * measures as they stand today (copied, so later changes leave it alone).
 * Nothing is saved when a rule fails (a DomainError on the field).
 */
@inject()
export default class CreateOversightAudit {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(
    contract: Contract,
    input: OversightAuditInput,
    user: User
  ): Promise<OversightAudit> {
    const auditedOn = toDate(input.auditedOn)
    if (isFutureDate(auditedOn, this.clock.now())) {
      throw new DomainError('oversight_audits.errors.future_date', { field: 'auditedOn' })
    }
    if (contract.contractorId === null) {
      throw new DomainError('oversight_audits.errors.no_contractor', { field: 'auditedOn' })
    }

    return db.transaction(async (trx) => {
      const auditors = await new ResolveAuditors().handle(input.auditorIds, trx)
      const drafts = await AuditChecklist.forContract(contract, trx)
      if (drafts.length === 0) {
        throw new DomainError('oversight_audits.errors.empty_checklist', { field: 'auditedOn' })
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
      await OversightAuditAuditor.recordFor(audit.id, auditors, trx)
      await RowBatch.insert(
        OversightAuditChecklistLine,
        drafts.map((draft) => ({ auditId: audit.id, ...draft, answer: null, note: null })),
        trx
      )
      await this.auditLog.record(
        {
          action: 'oversight_audit.create',
          subject: audit,
          changedFields: ['auditedOn', 'auditors', 'checklist'],
          details: { contractId: contract.id, lines: drafts.length, auditors: auditors.length },
        },
        trx
      )
      return audit
    })
  }
}
