import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Contract from '#models/contract'
import type User from '#models/user'
import SystemSnapshots from '#services/system_snapshot'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/duty_ledger'

/**
 * Records the ward's (甲) approval of a subcontract, which makes it active.
 */
export default class ApproveSubcontract {
  async handle(subcontract: Contract, approval: { approvedOn: Date; approvedBy: string }, user: User) {
    await db.transaction(async (trx) => {
      subcontract.useTransaction(trx)
      subcontract.merge({
        approvedOn: DateTime.fromJSDate(approval.approvedOn),
        approvedBy: approval.approvedBy,
        status: subcontract.status === 'ended' ? 'ended' : 'active',
      })
      await subcontract.save()
      await DutyLedger.recompute(subcontract.id, trx)
      await SystemSnapshots.record(subcontract.systemId, `再委託の承認: ${subcontract.title}`, user.id, trx)
      await AuditLogger.record(
        { action: 'subcontract.approve', subject: subcontract, changedFields: ['approvedOn', 'approvedBy', 'status'] },
        trx
      )
    })
  }
}
