import type { HttpContext } from '@adonisjs/core/http'
import drive from '@adonisjs/drive/services/main'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import Contract from '#models/contract'
import OversightAudit from '#models/oversight_audit'
import OversightAuditAttachment from '#models/oversight_audit_attachment'
import ContractPolicy from '#policies/register/contract_policy'
import OversightAuditPolicy from '#policies/oversight/oversight_audit_policy'
import CreateOversightAudit from '#actions/oversight/create_oversight_audit'
import UpdateOversightAudit from '#actions/oversight/update_oversight_audit'
import AttachAuditFile, { ATTACHMENT_DISK } from '#actions/oversight/attach_audit_file'
import RemoveAuditAttachment from '#actions/oversight/remove_audit_attachment'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import AuditChecklist, { CHECKLIST_SOURCES } from '#services/oversight/oversight_audit_checklist'
import AuditLogger from '#services/audit_logger'
import PdfRenderer from '#services/pdf_renderer'
import WardCalendar from '#services/ward_calendar'
import AuditReport from '#services/oversight/oversight_audit_pdf'
import { auditAttachmentValidator, oversightAuditUpdateValidator, oversightAuditValidator } from '#validators/oversight/oversight_audit'
import { formRows } from '#validators/list_input'

/** Blank finding or corrective-action rows the form offers below the saved ones, and how many "add rows" adds. */
const BLANK_ROWS = 2
const ADDED_ROWS = 5

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

    return view.render('pages/oversight/audits/index', { audits, contract, tallies: await this.#tallies(audits) })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const preview = await AuditChecklist.forContract(contract)
    const counts = CHECKLIST_SOURCES.map((source) => ({ source, count: preview.filter((line) => line.source === source).length })).filter(
      (entry) => entry.count > 0
    )
    return view.render('pages/oversight/audits/create', { contract, counts, auditorChoices: await ResolveAuditors.choices() })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const input = await request.validateUsing(oversightAuditValidator)
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
    return view.render('pages/oversight/audits/show', { audit, fiscalYearLabel: WardCalendar.fiscalYearLabel(audit.fiscalYear) })
  }

  /**
   * The answers, findings and corrective actions; below the saved findings
   * and actions, blank rows to fill in (as many as were typed when the form
   * comes back, plus those "add rows" asked for).
   */
  async edit({ params, view, bouncer, session }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const added = session.flashMessages.get('addedRows') ?? {}
    const rowsOf = <Row>(saved: Row[], list: 'findings' | 'actions') => {
      const typed = formRows(session.flashMessages.get(list)).length
      const count = Math.max(saved.length + BLANK_ROWS, typed) + (added[list] ?? 0)
      return Array.from({ length: count }, (_, index) => saved[index] ?? null)
    }
    return view.render('pages/oversight/audits/form', {
      audit,
      auditorChoices: await ResolveAuditors.choices(),
      findingRows: rowsOf(audit.findings, 'findings'),
      actionRows: rowsOf(audit.correctiveActions, 'actions'),
    })
  }

  /** "Add rows" to the findings or the corrective actions: back to the form with what was typed; nothing is saved. */
  async addRows({ params, request, response, bouncer, session }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const list = request.input('addRowsTo') === 'actions' ? 'actions' : 'findings'
    session.flashAll()
    session.flash('addedRows', { [list]: ADDED_ROWS })
    return response.redirect().toPath(`${router.makeUrl('oversight_audits.edit', { id: audit.id })}#${list}`)
  }

  async update({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const audit = await this.#audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const input = await request.validateUsing(oversightAuditUpdateValidator)
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
    const attachment = await OversightAuditAttachment.query().where('auditId', audit.id).where('id', params.attachmentId).firstOrFail()
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
    const attachment = await OversightAuditAttachment.query().where('auditId', audit.id).where('id', params.attachmentId).firstOrFail()
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
