import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Contract from '#models/contract'
import type User from '#models/user'
import SystemSnapshots from '#services/register/system_snapshot'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'
import WardCalendar from '#services/ward_calendar'
import SubcontractRules from '#services/register/clause_rules'
import SaveContract from '#actions/register/save_contract'
import DomainError from '#exceptions/domain_error'
import { jaText } from '#services/ja_text'

export interface SubcontractApproval {
  approvedOn: Date
  /** Who approved for the ward (甲), as written: e.g. 広聴担当課長. */
  approvedBy: string
  /** The written approval: its document number, or its date and title. */
  approvalReference?: string | null
}

/**
 * Records the ward's (甲) approval of a subcontract, which makes it active: when, who
 * approved, the written approval (if any), and who recorded it.
 *
 * The parent contract's special terms decide whether it may be approved at all (see
 * #services/clause_rules): a subcontract they forbid, or one handling personal data where
 * they allow only work without it, is refused; where they ask for the ward's prior written
 * approval, the written approval is required and must be dated on or before the
 * subcontract's start. The refusal (a DomainError, shown on the subcontract's page) quotes the clause.
 */
@inject()
export default class ApproveSubcontract {
  constructor(private auditLog: AuditLogger) {}

  async handle(subcontract: Contract, approval: SubcontractApproval, user: User): Promise<void> {
    const approvedOn = DateTime.fromJSDate(approval.approvedOn)
    const reference = approval.approvalReference?.trim() || null
    if (subcontract.parentContractId) {
      const parent = await subcontract.related('parent').query().firstOrFail()
      const clauses = parent.specialTermSetId
        ? await SaveContract.ruleClauses(parent.specialTermSetId)
        : []
      const breach = SubcontractRules.onApproval(
        clauses,
        subcontract,
        { approvedOn, approvedBy: approval.approvedBy, reference },
        (date) => WardCalendar.formatEra(date)
      )
      if (breach) {
        throw new DomainError(breach.message, {
          field: breach.field,
          data: breach.values,
          redirectTo: { route: 'contracts.show', params: { id: subcontract.id } },
        })
      }
    }

    await db.transaction(async (trx) => {
      subcontract.useTransaction(trx)
      subcontract.merge({
        approvedOn,
        approvedBy: approval.approvedBy,
        approvalReference: reference,
        approvedByUserId: user.id,
        status: subcontract.status === 'ended' ? 'ended' : 'active',
      })
      await subcontract.save()
      await DutyLedger.recompute(subcontract.id, this.auditLog, trx)
      await SystemSnapshots.record(
        subcontract.systemId,
        jaText('register.changes.subcontract_approved', { title: subcontract.title }),
        user.id,
        trx
      )
      await this.auditLog.record(
        {
          action: 'subcontract.approve',
          subject: subcontract,
          changedFields: [
            'approvedOn',
            'approvedBy',
            'approvalReference',
            'approvedByUserId',
            'status',
          ],
        },
        trx
      )
    })
  }
}
