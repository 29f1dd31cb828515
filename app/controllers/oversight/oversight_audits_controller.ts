import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import OversightScope from '#builders/oversight_scope'
import ContractPolicy from '#policies/register/contract_policy'
import OversightAuditPolicy from '#policies/oversight/oversight_audit_policy'
import CreateOversightAudit from '#actions/oversight/create_oversight_audit'
import UpdateOversightAudit from '#actions/oversight/update_oversight_audit'
import AttachAuditFile from '#actions/oversight/attach_audit_file'
import RemoveAuditAttachment from '#actions/oversight/remove_audit_attachment'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import PdfRenderer from '#services/pdf_renderer'
import WardCalendar from '#services/ward_calendar'
import AuditReport from '#services/oversight/oversight_audit_pdf'
import OversightAuditQueries from '#services/oversight/oversight_audit_queries'
import StoredFiles from '#services/oversight/stored_files'
import {
  auditAttachmentValidator,
  oversightAuditUpdateValidator,
  oversightAuditValidator,
} from '#validators/oversight/oversight_audit'
import { formRows } from '#validators/list_input'

/** Blank finding or corrective-action rows the form offers below the saved ones, and how many "add rows" adds. */
const BLANK_ROWS = 2
const ADDED_ROWS = 5

export default class OversightAuditsController {
  /** Audits the user may see (a contractor user: its own contracts'); `?contractId=` narrows to one contract. */
  async index({ request, view, auth, bouncer }: HttpContext) {
    const contractId = Number(request.input('contractId')) || null
    const contract = contractId ? await OversightAuditQueries.contract(contractId) : null
    if (contract) await bouncer.with(ContractPolicy).authorize('view', contract)
    const scope = await OversightScope.for(auth.use('web').getUserOrFail())
    const { audits, tallies } = await OversightAuditQueries.list(scope, contract)
    return view.render('pages/oversight/audits/index', { audits, contract, tallies })
  }

  async create({ params, view, bouncer }: HttpContext) {
    const contract = await OversightAuditQueries.contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const counts = await OversightAuditQueries.checklistCounts(contract)
    return view.render('pages/oversight/audits/create', {
      contract,
      counts,
      auditorChoices: await ResolveAuditors.choices(),
    })
  }

  /** Logs the audit; a refusal (DomainError) brings the form back with the input. */
  @inject()
  async store(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    create: CreateOversightAudit
  ) {
    const contract = await OversightAuditQueries.contract(params.contractId)
    await bouncer.with(OversightAuditPolicy).authorize('create', contract)
    const input = await request.validateUsing(oversightAuditValidator)
    const audit = await create.handle(contract, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('oversight_audits.created'))
    return response.redirect().toRoute('oversight_audits.edit', { id: audit.id })
  }

  /** An audit with its checklist, findings, corrective actions and attachments. */
  async show({ params, view, bouncer }: HttpContext) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    await AuditLogger.record({ action: 'oversight_audit.view', subject: audit })
    return view.render('pages/oversight/audits/show', {
      audit,
      fiscalYearLabel: WardCalendar.fiscalYearLabel(audit.fiscalYear),
    })
  }

  /**
   * The answers, findings and corrective actions; below the saved findings
   * and actions, blank rows to fill in (as many as were typed when the form
   * comes back, plus those "add rows" asked for).
   */
  async edit({ params, view, bouncer, session }: HttpContext) {
    const audit = await OversightAuditQueries.audit(params.id)
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
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const list = request.input('addRowsTo') === 'actions' ? 'actions' : 'findings'
    session.flashAll()
    session.flash('addedRows', { [list]: ADDED_ROWS })
    return response
      .redirect()
      .toPath(`${router.makeUrl('oversight_audits.edit', { id: audit.id })}#${list}`)
  }

  @inject()
  async update(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    save: UpdateOversightAudit
  ) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const input = await request.validateUsing(oversightAuditUpdateValidator)
    const { completedNow } = await save.handle(audit, input)
    session.flash(
      'success',
      i18n.t(completedNow ? 'oversight_audits.completed' : 'oversight_audits.saved')
    )
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** 立入調査報告書 as an A4 PDF. */
  @inject()
  async report({ params, response, bouncer }: HttpContext, clock: Clock) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const pdf = await PdfRenderer.render(
      AuditReport.definition(AuditReport.data(audit, clock.now()))
    )
    await AuditLogger.record({ action: 'oversight_audit.report', subject: audit })
    response.header('content-type', 'application/pdf')
    response.header('content-disposition', `inline; filename="oversight-audit-${audit.id}.pdf"`)
    return response.send(pdf)
  }

  /** Stores a file of the audit; a refused file (DomainError) is reported on the audit's page. */
  @inject()
  async attach(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    attachFile: AttachAuditFile
  ) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const input = await request.validateUsing(auditAttachmentValidator)
    await attachFile.handle(
      audit,
      input.file,
      input.caption ?? null,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('oversight_audits.attachments.saved'))
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** Streams a stored file to whoever may see the audit; files are never served publicly. */
  @inject()
  async download({ params, response, bouncer }: HttpContext, files: StoredFiles) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const attachment = await OversightAuditQueries.attachment(audit, params.attachmentId)
    const sent = await files.send(response, attachment)
    await AuditLogger.record({
      action: 'oversight_audit.download',
      subject: audit,
      details: { attachmentId: attachment.id },
    })
    return sent
  }

  @inject()
  async detach(
    { params, response, bouncer, session, i18n }: HttpContext,
    remove: RemoveAuditAttachment
  ) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const attachment = await OversightAuditQueries.attachment(audit, params.attachmentId)
    await remove.handle(audit, attachment)
    session.flash('success', i18n.t('oversight_audits.attachments.removed'))
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }
}
