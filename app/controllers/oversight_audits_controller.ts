import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import Contract from '#models/contract'
import OversightAudit from '#models/oversight_audit'
import AuditAttachment from '#models/audit_attachment'
import ContractPolicy from '#policies/contract_policy'
import OversightAuditPolicy from '#policies/oversight_audit_policy'
import CreateOversightAudit from '#actions/audits/create_oversight_audit'
import UpdateOversightAudit from '#actions/audits/update_oversight_audit'
import AttachAuditFile, { ATTACHMENT_DISK } from '#actions/audits/attach_audit_file'
import RemoveAuditAttachment from '#actions/audits/remove_audit_attachment'
import ResolveAuditors from '#actions/audits/resolve_auditors'
import AuditChecklist, { CHECKLIST_SOURCES } from '#services/audit_checklist'
import AuditLogger from '#services/audit_logger'
import PdfRenderer from '#services/pdf_renderer'
import WardCalendar from '#services/ward_calendar'
import AuditReport from '#reports/audit_report'
import { auditAttachmentValidator, oversightAuditUpdateValidator, oversightAuditValidator } from '#validators/audit'

type Row = Record<string, unknown> | null

/**
 * Form rows as a list: the body parser (qs) turns `lines[21][id]` and the 22nd `auditorIds[]`
 * into an object keyed by index, so a long checklist arrives as one. Anything else is passed
 * on unchanged for the validator to refuse.
 */
const rowsOf = (value: unknown): unknown => {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  if (!entries.every(([key]) => /^\d+$/.test(key))) return value
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, row]) => row)
}

/** A form row counts only when one of its fields was filled in (the form offers blank rows). */
const filled = (keys: string[]) => (row: Row) => !!row && keys.some((key) => row[key] !== null && row[key] !== undefined && row[key] !== '')

/** Drops the blank rows of a list; a value that is not a list is left for the validator. */
const filledRows = (value: unknown, keys: string[]) => {
  const rows = rowsOf(value)
  return Array.isArray(rows) ? rows.filter(filled(keys)) : rows
}

export default class OversightAuditsController {
  /** Audits the user may see (a contractor user: its own contracts'); `?contractId=` narrows to one contract. */
  async index({ request, view, auth, bouncer }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    const contractId = Number(request.input('contractId')) || null
    const contract = contractId ? await this.#contract(contractId) : null
    if (contract) await bouncer.with(ContractPolicy).authorize('view', contract)
    const visible = await user.visibleDepartmentIds()

    const audits = await OversightAudit.query()
      .if(contract, (query) => query.where('contractId', contract!.id))
      .if(user.isContractorUser, (query) =>
        query.whereIn('contractId', (sub) =>
          sub
            .from('contracts')
            .select('id')
            .where('contractor_id', user.contractorId ?? 0)
            .orWhereIn('parent_contract_id', (parent) => parent.from('contracts').select('id').where('contractor_id', user.contractorId ?? 0))
        )
      )
      .if(!user.isContractorUser && visible !== null, (query) =>
        query.whereIn('contractId', (sub) =>
          sub
            .from('contracts')
            .select('contracts.id')
            .join('personal_data_systems', 'personal_data_systems.id', 'contracts.system_id')
            .whereIn('personal_data_systems.department_id', visible!)
        )
      )
      .preload('contract', (query) => query.preload('system', (system) => system.preload('department')).preload('contractor'))
      .preload('auditors')
      .orderBy('auditedOn', 'desc')
      .orderBy('id', 'desc')

    return view.render('pages/oversight_audits/index', { audits, contract, tallies: await this.#tallies(audits) })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const preview = await AuditChecklist.forContract(contract)
    const counts = CHECKLIST_SOURCES.map((source) => ({ source, count: preview.filter((line) => line.source === source).length })).filter(
      (entry) => entry.count > 0
    )
    return view.render('pages/oversight_audits/create', { contract, counts, auditorChoices: await ResolveAuditors.choices() })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const input = await request.validateUsing(oversightAuditValidator, {
      data: { ...request.all(), auditorIds: rowsOf(request.input('auditorIds')) },
    })
    const result = await new CreateOversightAudit().handle(contract, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('oversight_audits.created'))
    return response.redirect().toRoute('oversight_audits.edit', { id: result.audit.id })
  }

  /** An audit with its checklist, findings, corrective actions and attachments. */
  async show({ params, view, bouncer }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    await AuditLogger.record({ action: 'oversight_audit.view', subject: audit })
    return view.render('pages/oversight_audits/show', { audit, fiscalYearLabel: WardCalendar.fiscalYearLabel(audit.fiscalYear) })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    return view.render('pages/oversight_audits/form', { audit, auditorChoices: await ResolveAuditors.choices() })
  }

  async update({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const input = await request.validateUsing(oversightAuditUpdateValidator, {
      data: {
        ...request.all(),
        auditorIds: rowsOf(request.input('auditorIds')),
        lines: rowsOf(request.input('lines')),
        findings: filledRows(request.input('findings') ?? [], ['detail']),
        actions: filledRows(request.input('actions') ?? [], ['measure', 'owner', 'dueOn', 'doneOn']),
      },
    })
    const result = await new UpdateOversightAudit().handle(audit, input)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t(result.completedNow ? 'oversight_audits.completed' : 'oversight_audits.saved'))
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** 立入調査報告書 as an A4 PDF. */
  async report({ params, response, bouncer }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const pdf = await PdfRenderer.render(AuditReport.definition(AuditReport.data(audit)))
    await AuditLogger.record({ action: 'oversight_audit.report', subject: audit })
    response.header('content-type', 'application/pdf')
    response.header('content-disposition', `inline; filename="oversight-audit-${audit.id}.pdf"`)
    return response.send(pdf)
  }

  async attach({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const input = await request.validateUsing(auditAttachmentValidator)
    const result = await new AttachAuditFile().handle(audit, input.file, input.caption ?? null, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
    }
    session.flash('success', i18n.t('oversight_audits.attachments.saved'))
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** Streams a stored file to whoever may see the audit; files are never served publicly. */
  async download({ params, response, bouncer }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const attachment = await AuditAttachment.query().where('auditId', audit.id).where('id', params.attachmentId).firstOrFail()
    const stream = await drive.use(ATTACHMENT_DISK).getStream(attachment.storageKey)
    await AuditLogger.record({ action: 'oversight_audit.download', subject: audit, details: { attachmentId: attachment.id } })
    const fallback = attachment.originalName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
    response.header('content-type', attachment.contentType)
    response.header('content-length', String(attachment.size))
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.header(
      'content-disposition',
      `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(attachment.originalName)}`
    )
    return response.stream(stream)
  }

  async detach({ params, response, bouncer, session, i18n }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const attachment = await AuditAttachment.query().where('auditId', audit.id).where('id', params.attachmentId).firstOrFail()
    await new RemoveAuditAttachment().handle(audit, attachment)
    session.flash('success', i18n.t('oversight_audits.attachments.removed'))
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** A contract with what the policies and the checklist need. */
  async #contract(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('system', (system) => system.preload('department'))
      .preload('parent', (parent) => parent.preload('contractor'))
      .preload('contractor')
      .preload('specialTermSet')
      .firstOrFail()
  }

  async #audit(id: number) {
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

  /** Non-compliant and unanswered lines per audit, for the list. */
  async #tallies(audits: OversightAudit[]) {
    const tallies = new Map<number, { nonCompliant: number; unanswered: number }>()
    if (audits.length === 0) return tallies
    const rows = await db
      .from('audit_checklist_lines')
      .whereIn(
        'audit_id',
        audits.map((audit) => audit.id)
      )
      .select('audit_id')
      .select(db.raw(`sum(case when answer = 'non_compliant' then 1 else 0 end) as non_compliant`))
      .select(db.raw('sum(case when answer is null then 1 else 0 end) as unanswered'))
      .groupBy('audit_id')
    for (const row of rows) {
      tallies.set(Number(row.audit_id), { nonCompliant: Number(row.non_compliant), unanswered: Number(row.unanswered) })
    }
    return tallies
  }
}
