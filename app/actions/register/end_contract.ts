import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Contract from '#models/contract'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'
import SystemSnapshots from '#services/register/system_snapshot'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type { ContractEndReason } from '#enums/clause_rules'
import type { SaveContractRefusal } from '#actions/register/save_contract'

export type EndContractResult = { ok: true } | SaveContractRefusal

/**
 * Records the end of a contract's work: a period of a contract renewed year by year that is
 * not renewed (期間満了・更新しない), or a termination of any contract (解除・中途終了), with
 * its last day. From then the contract owes its deletion certificate (DutyPlanner), and no
 * further audits or training after that fiscal year. The contract is 'ended' once that day
 * has come.
 */
export default class EndContract {
  async handle(
    contract: Contract,
    input: { endReason: ContractEndReason; endedOn: Date },
    user: User,
    today: DateTime = DateTime.now().setZone(WARD_ZONE)
  ): Promise<EndContractResult> {
    const endedOn = DateTime.fromJSDate(input.endedOn).setZone(WARD_ZONE).startOf('day')
    if (contract.status === 'ended' || contract.endedOn) {
      return { ok: false, field: 'endedOn', message: 'register.contracts.end.errors.already_ended' }
    }
    if (input.endReason === 'not_renewed' && contract.periodType !== 'renewed_yearly') {
      return { ok: false, field: 'endReason', message: 'register.contracts.end.errors.not_renewable' }
    }
    if (contract.startsOn && endedOn < contract.startsOn.setZone(WARD_ZONE).startOf('day')) {
      return { ok: false, field: 'endedOn', message: 'register.contracts.end.errors.before_start', values: { start: WardCalendar.formatEra(contract.startsOn) } }
    }
    if (contract.endsOn && endedOn > contract.endsOn.setZone(WARD_ZONE).startOf('day')) {
      return { ok: false, field: 'endedOn', message: 'register.contracts.end.errors.after_end', values: { end: WardCalendar.formatEra(contract.endsOn) } }
    }

    await db.transaction(async (trx) => {
      contract.useTransaction(trx)
      contract.merge({ endedOn, endReason: input.endReason })
      if (endedOn <= today.startOf('day')) contract.status = 'ended'
      const changedFields = Object.keys(contract.$dirty)
      await contract.save()
      await DutyLedger.recompute(contract.id, trx, today)
      const kind = contract.parentContractId ? '再委託' : '委託'
      await SystemSnapshots.record(contract.systemId, `${kind}の終了: ${contract.title}`, user.id, trx)
      await AuditLogger.record({ action: `${contract.parentContractId ? 'subcontract' : 'contract'}.end`, subject: contract, changedFields }, trx)
    })
    return { ok: true }
  }
}
