import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Contract from '#models/contract'
import OversightDuty from '#models/oversight_duty'
import DutyPlanner from '#services/oversight/duty_planner'
import type AuditLogger from '#services/audit_logger'
import { OUTSTANDING_DUTY_STATES, UNDONE_DUTY_STATES } from '#enums/register'
import RowBatch from '#services/row_batch'

/** The submission a duty waits on or was satisfied by. */
export interface DutyEvidence {
  type: string
  id: number
  on: DateTime
}

/**
 * Keeps each contract's duties in step with its terms, and records how they
 * are submitted for, checked (satisfied or sent back) and waived. Every
 * change of state is in the audit log.
 */
export default class DutyLedger {
  /**
   * Recomputes a contract's duties: adds the planned ones, moves due dates
   * that changed, and drops outstanding duties that no longer apply (those
   * submitted, satisfied or waived are kept as history).
   */
  static async recompute(
    contractId: number,
    auditLog: AuditLogger,
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

      const added: typeof planned = []
      for (const plan of planned) {
        const duty = byKey.get(key(plan.kind, plan.periodKey))
        if (!duty) added.push(plan)
        else if (duty.isOutstanding && !duty.dueOn.hasSame(plan.dueOn, 'day'))
          duty.dueOn = plan.dueOn
      }
      await RowBatch.insert(
        OversightDuty,
        added.map((plan) => ({ contractId, ...plan, state: 'open' as const })),
        trx
      )
      await RowBatch.update(OversightDuty, existing, trx)
      await RowBatch.delete(
        OversightDuty,
        existing.filter(
          (duty) => duty.isOutstanding && !plannedKeys.has(key(duty.kind, duty.periodKey))
        ),
        trx
      )
      // A recorded approval is the evidence for the subcontract-approval duty.
      if (contract.approvedOn) {
        await DutyLedger.satisfy(
          contractId,
          'subcontract_approval',
          'approval',
          { type: 'contract', id: contractId, on: contract.approvedOn },
          auditLog,
          trx
        )
      }
    }
    if (client) return run(client)
    await db.transaction(run)
  }

  /**
   * Marks a duty that is not done yet satisfied by a piece of evidence (an
   * audit, a roster, a certificate …). Without a period key the earliest
   * such duty of that kind is taken. Returns false when there was none.
   */
  static async satisfy(
    contractId: number,
    kind: string,
    periodKey: string | null,
    evidence: DutyEvidence,
    auditLog: AuditLogger,
    client?: TransactionClientContract
  ): Promise<boolean> {
    const duty = await DutyLedger.#find(contractId, kind, periodKey, UNDONE_DUTY_STATES, client)
    if (!duty) return false
    duty.merge({
      state: 'satisfied',
      satisfiedOn: evidence.on,
      evidenceType: evidence.type,
      evidenceId: evidence.id,
      returnedReason: null,
    })
    await duty.save()
    await auditLog.record(
      {
        action: 'duty.satisfy',
        subject: duty,
        changedFields: ['state', 'satisfiedOn', 'evidenceType', 'evidenceId'],
      },
      client
    )
    return true
  }

  /**
   * The contractor filed what an outstanding duty asks for: the duty waits
   * for the ward's check (提出済・確認待ち). Returns false when no duty of
   * that kind and period is outstanding (nothing is owed, or it is done).
   */
  static async submit(
    contractId: number,
    kind: string,
    periodKey: string | null,
    evidence: DutyEvidence,
    auditLog: AuditLogger,
    client?: TransactionClientContract
  ): Promise<boolean> {
    const duty = await DutyLedger.#find(
      contractId,
      kind,
      periodKey,
      OUTSTANDING_DUTY_STATES,
      client
    )
    if (!duty) return false
    duty.merge({
      state: 'submitted',
      submittedOn: evidence.on,
      evidenceType: evidence.type,
      evidenceId: evidence.id,
      returnedReason: null,
    })
    await duty.save()
    await auditLog.record(
      {
        action: 'duty.submit',
        subject: duty,
        changedFields: ['state', 'submittedOn', 'evidenceType', 'evidenceId'],
      },
      client
    )
    return true
  }

  /**
   * The ward sent the submission back (差戻し): the duty it was waiting on
   * is owed again, with the reason for the contractor. Only the duty that
   * waits on this very submission changes.
   */
  static async sendBack(
    contractId: number,
    evidence: { type: string; id: number },
    reason: string,
    auditLog: AuditLogger,
    client?: TransactionClientContract
  ): Promise<boolean> {
    const duty = await OversightDuty.query(client ? { client } : undefined)
      .where('contractId', contractId)
      .where('state', 'submitted')
      .where('evidenceType', evidence.type)
      .where('evidenceId', evidence.id)
      .first()
    if (!duty) return false
    duty.merge({ state: 'returned', returnedReason: reason })
    await duty.save()
    await auditLog.record(
      { action: 'duty.return', subject: duty, changedFields: ['state', 'returnedReason'] },
      client
    )
    return true
  }

  /** Waives an outstanding duty with a reason (e.g. no work was done that year). */
  static async waive(
    duty: OversightDuty,
    reason: string,
    userId: number,
    auditLog: AuditLogger
  ): Promise<void> {
    duty.merge({ state: 'waived', waivedReason: reason, waivedByUserId: userId })
    await duty.save()
    await auditLog.record({
      action: 'duty.waive',
      subject: duty,
      changedFields: ['state', 'waivedReason'],
    })
  }

  /** The earliest duty of a kind (and period) in one of the states. */
  static #find(
    contractId: number,
    kind: string,
    periodKey: string | null,
    states: readonly string[],
    client?: TransactionClientContract
  ) {
    return OversightDuty.query(client ? { client } : undefined)
      .where('contractId', contractId)
      .where('kind', kind)
      .whereIn('state', [...states])
      .if(periodKey !== null, (query) => query.where('periodKey', periodKey!))
      .orderBy('dueOn')
      .first()
  }
}
