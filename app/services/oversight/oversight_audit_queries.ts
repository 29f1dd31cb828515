import db from '@adonisjs/lucid/services/db'
import Contract from '#models/contract'
import OversightAudit from '#models/oversight_audit'
import OversightAuditAttachment from '#models/oversight_audit_attachment'
import AuditChecklist, { CHECKLIST_SOURCES } from '#services/oversight/oversight_audit_checklist'
import type OversightScope from '#builders/oversight_scope'

/**
 * What the on-site audit pages read: the scoped list with its tallies, one
 * audit with everything its page, form and report show, the contract an
 * audit is logged for, and an attachment of an audit.
 */
export default class OversightAuditQueries {
  /** The visible audits (of one contract when given), newest first, with non-compliant and unanswered lines per audit. */
  static async list(scope: OversightScope, contract: Contract | null) {
    const audits = await scope
      .audits()
      .if(contract, (query) => query.where('contractId', contract!.id))
      .preload('contract', (query) =>
        query.preload('system', (system) => system.preload('department')).preload('contractor')
      )
      .preload('auditors')
      .orderBy('auditedOn', 'desc')
      .orderBy('id', 'desc')
    return { audits, tallies: await OversightAuditQueries.tallies(audits) }
  }

  /** A contract with what the checklist and the pages need. */
  static contract(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('system', (system) => system.preload('department'))
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('contractor')
      .preload('specialTermSet')
      .firstOrFail()
  }

  /** How many checklist lines each source would give the contract's audit today. */
  static async checklistCounts(contract: Contract) {
    const preview = await AuditChecklist.forContract(contract)
    return CHECKLIST_SOURCES.map((source) => ({
      source,
      count: preview.filter((line) => line.source === source).length,
    })).filter((entry) => entry.count > 0)
  }

  /** An audit with its contract's parties, auditors, checklist, findings, corrective actions and attachments. */
  static audit(id: number) {
    return OversightAudit.query()
      .where('id', id)
      .preload('contract', (contract) =>
        contract
          .preload('system', (system) => system.preload('department'))
          .preload('parent', (parent) => parent.preload('contractor'))
          .preload('contractor')
      )
      .preload('specialTermSet')
      .preload('auditors')
      .preload('lines')
      .preload('findings')
      .preload('correctiveActions')
      .preload('attachments')
      .firstOrFail()
  }

  /** An attachment of the audit (404 for another audit's). */
  static attachment(audit: OversightAudit, id: number) {
    return OversightAuditAttachment.query().where('auditId', audit.id).where('id', id).firstOrFail()
  }

  /** Non-compliant and unanswered lines per audit, for the list. */
  static async tallies(audits: OversightAudit[]) {
    const tallies = new Map<number, { nonCompliant: number; unanswered: number }>()
    if (audits.length === 0) return tallies
    const rows = await db
      .from('oversight_audit_checklist_lines')
      .whereIn(
        'audit_id',
        audits.map((audit) => audit.id)
      )
      .select('audit_id')
      .select(db.raw(`sum(case when answer = 'non_compliant' then 1 else 0 end) as non_compliant`))
      .select(db.raw('sum(case when answer is null then 1 else 0 end) as unanswered'))
      .groupBy('audit_id')
    for (const row of rows) {
      tallies.set(Number(row.audit_id), {
        nonCompliant: Number(row.non_compliant),
        unanswered: Number(row.unanswered),
      })
    }
    return tallies
  }
}
