import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModelAttributes } from '@adonisjs/lucid/types/model'
import OversightAudit from '#models/oversight_audit'
import OversightAuditAuditor from '#models/oversight_audit_auditor'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import OversightAuditFinding from '#models/oversight_audit_finding'
import OversightAuditCorrectiveAction from '#models/oversight_audit_corrective_action'
import DomainError from '#exceptions/domain_error'
import RowBatch from '#services/row_batch'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import AuditCompletion from '#services/oversight/oversight_audit_completion'
import WardCalendar from '#services/ward_calendar'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import { isFutureDate, toDate } from '#actions/oversight/audit_dates'
import type User from '#models/user'
import type { oversightAuditUpdateValidator } from '#validators/oversight/oversight_audit'
import { presentRows } from '#validators/list_input'

export type OversightAuditUpdateInput = Infer<typeof oversightAuditUpdateValidator>

export interface UpdateOversightAuditResult {
  audit: OversightAudit
  completedNow: boolean
  /** Every line answered, but these corrective actions are open: the audit stays in progress. */
  openActions: OversightAuditCorrectiveAction[]
}

const isoOrNull = (date: DateTime | null | undefined) => (date ? date.toISODate() : null)

/**
 * Records the findings and corrective actions of an audit (and corrections
 * of its date and auditors); the checklist is answered section by section
 * (SaveChecklistSection). Once every line is answered and no corrective
 * action is open, the audit is completed (AuditCompletion); a completed
 * audit stays in the fiscal year of its date. Refusals are DomainErrors on
 * the field; nothing is saved.
 */
@inject()
export default class UpdateOversightAudit {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(
    audit: OversightAudit,
    input: OversightAuditUpdateInput
  ): Promise<UpdateOversightAuditResult> {
    const auditedOn = toDate(input.auditedOn)
    if (isFutureDate(auditedOn, this.clock.now())) {
      throw new DomainError('oversight_audits.errors.future_date', { field: 'auditedOn' })
    }
    if (audit.isCompleted && WardCalendar.fiscalYear(auditedOn) !== audit.fiscalYear) {
      throw new DomainError('oversight_audits.errors.fiscal_year_locked', { field: 'auditedOn' })
    }

    return db.transaction(async (trx): Promise<UpdateOversightAuditResult> => {
      const lines = await OversightAuditChecklistLine.query({ client: trx })
        .where('auditId', audit.id)
        .orderBy('position')
      const findings = await OversightAuditFinding.query({ client: trx }).where('auditId', audit.id)
      const actions = await OversightAuditCorrectiveAction.query({ client: trx }).where(
        'auditId',
        audit.id
      )
      this.#checkReferences(input, lines, findings, actions)
      const auditors = await new ResolveAuditors().handle(input.auditorIds, trx)

      const changedFields: string[] = []
      if (isoOrNull(audit.auditedOn) !== auditedOn.toISODate()) {
        audit.merge({ auditedOn, fiscalYear: WardCalendar.fiscalYear(auditedOn) })
        changedFields.push('auditedOn')
      }
      if (await this.#syncAuditors(audit, auditors, trx)) changedFields.push('auditors')
      if (await this.#syncFindings(audit, findings, input, trx)) changedFields.push('findings')
      if (await this.#syncActions(audit, actions, input, trx))
        changedFields.push('correctiveActions')

      const saved = await OversightAuditCorrectiveAction.query({ client: trx })
        .where('auditId', audit.id)
        .orderBy('position')
      const { ready, openActions } = AuditCompletion.readiness(audit, lines, saved)
      if (ready) {
        AuditCompletion.markCompleted(audit, this.clock.now())
        changedFields.push('status')
      }
      audit.useTransaction(trx)
      await audit.save()
      await this.auditLog.record(
        {
          action: 'oversight_audit.update',
          subject: audit,
          changedFields,
          details: { status: audit.status },
        },
        trx
      )
      if (ready) await AuditCompletion.record(audit, this.auditLog, trx)
      return { audit, completedNow: ready, openActions }
    })
  }

  /** Rows may only refer to this audit's own lines, findings and actions (no tampering with ids). */
  #checkReferences(
    input: OversightAuditUpdateInput,
    lines: OversightAuditChecklistLine[],
    findings: OversightAuditFinding[],
    actions: OversightAuditCorrectiveAction[]
  ): void {
    const lineIds = new Set(lines.map((line) => line.id))
    const findingIds = new Set(findings.map((finding) => finding.id))
    const actionIds = new Set(actions.map((action) => action.id))
    const rows = [...presentRows(input.findings), ...presentRows(input.actions)]
    if (rows.some((row) => row.lineId !== undefined && !lineIds.has(row.lineId))) {
      throw new DomainError('oversight_audits.errors.unknown_line', { field: 'lines' })
    }
    if (
      presentRows(input.findings).some((row) => row.id !== undefined && !findingIds.has(row.id))
    ) {
      throw new DomainError('oversight_audits.errors.unknown_row', { field: 'findings' })
    }
    if (presentRows(input.actions).some((row) => row.id !== undefined && !actionIds.has(row.id))) {
      throw new DomainError('oversight_audits.errors.unknown_row', { field: 'actions' })
    }
  }

  /** Replaces the auditors when the chosen people or their order changed. */
  async #syncAuditors(
    audit: OversightAudit,
    users: User[],
    trx: TransactionClientContract
  ): Promise<boolean> {
    const current = await OversightAuditAuditor.query({ client: trx })
      .where('auditId', audit.id)
      .orderBy('position')
    if (current.map((auditor) => auditor.userId).join(',') === users.map((u) => u.id).join(','))
      return false
    await OversightAuditAuditor.query({ client: trx }).where('auditId', audit.id).delete()
    await OversightAuditAuditor.recordFor(audit.id, users, trx)
    return true
  }

  async #syncFindings(
    audit: OversightAudit,
    existing: OversightAuditFinding[],
    input: OversightAuditUpdateInput,
    trx: TransactionClientContract
  ): Promise<boolean> {
    const kept: OversightAuditFinding[] = []
    const added: Array<Partial<ModelAttributes<OversightAuditFinding>>> = []
    for (const [index, row] of presentRows(input.findings).entries()) {
      const values = { lineId: row.lineId ?? null, detail: row.detail, position: index + 1 }
      if (row.id === undefined) added.push({ auditId: audit.id, ...values })
      else kept.push(existing.find((entry) => entry.id === row.id)!.merge(values))
    }
    return this.#writeRows(OversightAuditFinding, existing, kept, added, trx)
  }

  async #syncActions(
    audit: OversightAudit,
    existing: OversightAuditCorrectiveAction[],
    input: OversightAuditUpdateInput,
    trx: TransactionClientContract
  ): Promise<boolean> {
    const kept: OversightAuditCorrectiveAction[] = []
    const added: Array<Partial<ModelAttributes<OversightAuditCorrectiveAction>>> = []
    for (const [index, row] of presentRows(input.actions).entries()) {
      const dueOn = toDate(row.dueOn)
      const doneOn = row.doneOn ? toDate(row.doneOn) : null
      const values = {
        lineId: row.lineId ?? null,
        measure: row.measure,
        owner: row.owner,
        position: index + 1,
      }
      if (row.id === undefined) {
        added.push({ auditId: audit.id, ...values, dueOn, doneOn })
        continue
      }
      const action = existing.find((entry) => entry.id === row.id)!.merge(values)
      // Dates are compared by calendar day: a new DateTime object is not a change.
      if (isoOrNull(action.dueOn) !== dueOn.toISODate()) action.dueOn = dueOn
      if (isoOrNull(action.doneOn) !== isoOrNull(doneOn)) action.doneOn = doneOn
      kept.push(action)
    }
    return this.#writeRows(OversightAuditCorrectiveAction, existing, kept, added, trx)
  }

  /**
   * Deletes the rows the form no longer has, saves the kept ones that changed and
   * inserts the new ones, a statement each. True when the content changed: a new
   * position alone (a row removed above) is not a change.
   */
  async #writeRows<
    Model extends typeof OversightAuditFinding | typeof OversightAuditCorrectiveAction,
  >(
    model: Model,
    existing: InstanceType<Model>[],
    kept: InstanceType<Model>[],
    added: Array<Partial<ModelAttributes<InstanceType<Model>>>>,
    trx: TransactionClientContract
  ): Promise<boolean> {
    const removed = existing.filter((row) => !kept.includes(row))
    const edited = kept.some((row) => Object.keys(row.$dirty).some((key) => key !== 'position'))
    await RowBatch.delete(model, removed, trx)
    await RowBatch.update(model, kept, trx)
    await RowBatch.insert(model, added, trx)
    return edited || removed.length > 0 || added.length > 0
  }
}
