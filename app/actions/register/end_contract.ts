import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Contract from '#models/contract'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import DutyLedger from '#services/oversight/duty_ledger'
import SystemSnapshots from '#services/register/system_snapshot'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type { ContractEndReason } from '#enums/clause_rules'
import Clock from '#services/clock'
import DomainError from '#exceptions/domain_error'
import { jaText } from '#services/ja_text'

/**
 * Records the end of a contract's work: a period of a contract renewed year by year that is
 * not renewed (期間満了・更新しない), or a termination of any contract (解除・中途終了), with
 * its last day. From then the contract owes its deletion certificate (DutyPlanner), and no
 * further audits or training after that fiscal year. The contract is 'ended' once that day
 * has come (today by the injected Clock). A refusal is a DomainError shown on the contract's page.
 */
@inject()
export default class EndContract {
  constructor(
    private auditLog: AuditLogger,
    protected clock: Clock
  ) {}

  async handle(
    contract: Contract,
    input: { endReason: ContractEndReason; endedOn: Date },
    user: User
  ): Promise<void> {
    const today = this.clock.now().setZone(WARD_ZONE)
    const back = { route: 'contracts.show', params: { id: contract.id } }
    const endedOn = DateTime.fromJSDate(input.endedOn).setZone(WARD_ZONE).startOf('day')
    if (contract.status === 'ended' || contract.endedOn) {
      throw new DomainError('register.contracts.end.errors.already_ended', {
        field: 'endedOn',
        redirectTo: back,
      })
    }
    if (input.endReason === 'not_renewed' && contract.periodType !== 'renewed_yearly') {
      throw new DomainError('register.contracts.end.errors.not_renewable', {
        field: 'endReason',
        redirectTo: back,
      })
    }
    if (contract.startsOn && endedOn < contract.startsOn.setZone(WARD_ZONE).startOf('day')) {
      throw new DomainError('register.contracts.end.errors.before_start', {
        field: 'endedOn',
        data: { start: WardCalendar.formatEra(contract.startsOn) },
        redirectTo: back,
      })
    }
    if (contract.endsOn && endedOn > contract.endsOn.setZone(WARD_ZONE).startOf('day')) {
      throw new DomainError('register.contracts.end.errors.after_end', {
        field: 'endedOn',
        data: { end: WardCalendar.formatEra(contract.endsOn) },
        redirectTo: back,
      })
    }

    await db.transaction(async (trx) => {
      contract.useTransaction(trx)
      contract.merge({ endedOn, endReason: input.endReason })
      if (endedOn <= today.startOf('day')) contract.status = 'ended'
      const changedFields = Object.keys(contract.$dirty)
      await contract.save()
      await DutyLedger.recompute(contract.id, this.auditLog, trx, today)
      const summary = contract.parentContractId
        ? 'register.changes.subcontract_ended'
        : 'register.changes.contract_ended'
      await SystemSnapshots.record(
        contract.systemId,
        jaText(summary, { title: contract.title }),
        user.id,
        trx
      )
      await this.auditLog.record(
        {
          action: `${contract.parentContractId ? 'subcontract' : 'contract'}.end`,
          subject: contract,
          changedFields,
        },
        trx
      )
    })
  }
}
