import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import DutyPlanner from '#services/oversight/duty_planner'
import AuditLogger from '#services/audit_logger'

/**
 * Keeps each contract's duties in step with its terms, and records how they
 * are satisfied or waived.
 */
export default class DutyLedger {
  /**
   * Recomputes a contract's duties: adds the planned ones, moves due dates
   * that changed, and drops open duties that no longer apply (satisfied and
   * waived ones are kept as history).
   */
  static async recompute(
    contractId: number,
    client?: TransactionClientContract,
    today?: DateTime
  ): Promise<void> {
    const run = async (trx: TransactionClientContract) => {
      const contract = await Contract.query({ client: trx })
        .where('id', contractId)
        .preload('specialTermSet', (set) => set.preload('clauses'))
        .firstOrFail()
      const planned = DutyPlanner.plan(contract, today)
      const existing = await OversightDuty.query({ client: trx }).where('contractId', contractId)
      const key = (kind: string, period: string) => `${kind}:${period}`
      const byKey = new Map(existing.map((duty) => [key(duty.kind, duty.periodKey), duty]))
      const plannedKeys = new Set(planned.map((duty) => key(duty.kind, duty.periodKey)))

      for (const plan of planned) {
        const duty = byKey.get(key(plan.kind, plan.periodKey))
        if (!duty) {
          await OversightDuty.create({ contractId, ...plan, state: 'open' }, { client: trx })
        } else if (duty.state === 'open' && !duty.dueOn.hasSame(plan.dueOn, 'day')) {
          duty.dueOn = plan.dueOn
          await duty.save()
        }
      }
      for (const duty of existing) {
        if (duty.state === 'open' && !plannedKeys.has(key(duty.kind, duty.periodKey)))
          await duty.delete()
      }
      // A recorded approval is the evidence for the subcontract-approval duty.
      if (contract.approvedOn) {
        await DutyLedger.satisfy(
          contractId,
          'subcontract_approval',
          'approval',
          { type: 'contract', id: contractId, on: contract.approvedOn },
          trx
        )
      }
    }
    if (client) return run(client)
    await db.transaction(run)
  }

  /**
   * Marks an open duty satisfied by a piece of evidence (an audit, a roster,
   * a certificate …). Without a period key the earliest open duty of that
   * kind is taken. Returns false when there was no open duty to satisfy.
   */
  static async satisfy(
    contractId: number,
    kind: string,
    periodKey: string | null,
    evidence: { type: string; id: number; on: DateTime },
    client?: TransactionClientContract
  ): Promise<boolean> {
    const duty = await OversightDuty.query(client ? { client } : undefined)
      .where('contractId', contractId)
      .where('kind', kind)
      .where('state', 'open')
      .if(periodKey !== null, (query) => query.where('periodKey', periodKey!))
      .orderBy('dueOn')
      .first()
    if (!duty) return false
    duty.merge({
      state: 'satisfied',
      satisfiedOn: evidence.on,
      evidenceType: evidence.type,
      evidenceId: evidence.id,
    })
    await duty.save()
    await AuditLogger.record(
      {
        action: 'duty.satisfy',
        subject: duty,
        changedFields: ['state', 'satisfiedOn', 'evidenceType', 'evidenceId'],
      },
      client
    )
    return true
  }

  /** Waives an open duty with a reason (e.g. no work was done that year). */
  static async waive(duty: OversightDuty, reason: string, userId: number): Promise<void> {
    duty.merge({ state: 'waived', waivedReason: reason, waivedByUserId: userId })
    await duty.save()
    await AuditLogger.record({
      action: 'duty.waive',
      subject: duty,
      changedFields: ['state', 'waivedReason'],
    })
  }
}
