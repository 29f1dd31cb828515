import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import OversightScope from '#builders/oversight_scope'
import type OversightAudit from '#models/oversight_audit'
import ContractPolicy from '#policies/register/contract_policy'
import OversightAuditPolicy from '#policies/oversight/oversight_audit_policy'
import CreateOversightAudit from '#actions/oversight/create_oversight_audit'
import UpdateOversightAudit from '#actions/oversight/update_oversight_audit'
import SaveChecklistSection from '#actions/oversight/save_checklist_section'
import AttachAuditFile from '#actions/oversight/attach_audit_file'
import RemoveAuditAttachment from '#actions/oversight/remove_audit_attachment'
import ResolveAuditors from '#actions/oversight/resolve_auditors'
import Clock from '#services/clock'
import PdfRenderer from '#services/pdf_renderer'
import WardCalendar from '#services/ward_calendar'
import AuditReport from '#services/oversight/oversight_audit_pdf'
import AuditChecklist, { CHECKLIST_SOURCES } from '#services/oversight/oversight_audit_checklist'
import AuditCompletion from '#services/oversight/oversight_audit_completion'
import OversightAuditQueries from '#services/oversight/oversight_audit_queries'
import StoredFiles from '#services/oversight/stored_files'
import {
  auditAttachmentValidator,
  checklistSectionValidator,
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
    return response.redirect().toRoute('oversight_audits.checklist', { id: audit.id })
  }

  /** An audit with its checklist, findings, corrective actions and attachments. */
  async show({ params, view, bouncer, auditLog }: HttpContext) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    await auditLog.record({ action: 'oversight_audit.view', subject: audit })
    return view.render('pages/oversight/audits/show', {
      audit,
      fiscalYearLabel: WardCalendar.fiscalYearLabel(audit.fiscalYear),
      canUpdate: await bouncer.with(OversightAuditPolicy).allows('update', audit),
      ...OversightAuditsController.#progress(audit),
    })
  }

  /** The checklist, one form per section (source), with answered / total overall and per section. */
  async checklist({ params, view, bouncer }: HttpContext) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    return view.render('pages/oversight/audits/checklist', {
      audit,
      ...OversightAuditsController.#progress(audit),
    })
  }

  /** Saves the answers of one section only; the page comes back with the counts updated. */
  @inject()
  async saveSection(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    save: SaveChecklistSection
  ) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('update', audit)
    const source = CHECKLIST_SOURCES.find((entry) => entry === params.section)
    if (!source || !audit.lines.some((line) => line.source === source)) return response.notFound()
    const input = await request.validateUsing(checklistSectionValidator)
    const result = await save.handle(audit, source, input)
    const saved = i18n.t('oversight_audits.section_saved', {
      section: i18n.t(`oversight_audits.sources.${source}`),
      answered: result.section.answered,
      total: result.section.total,
      overallAnswered: result.overall.answered,
      overallTotal: result.overall.total,
    })
    session.flash(
      'success',
      OversightAuditsController.#sentences(
        i18n,
        saved,
        OversightAuditsController.#completion(i18n, result)
      )
    )
    const url = router.makeUrl('oversight_audits.checklist', { id: audit.id })
    const settled = result.completedNow || result.openActions.length > 0
    return response.redirect().toPath(settled ? url : `${url}#section-${source}`)
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
      ...OversightAuditsController.#progress(audit),
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
    const result = await save.handle(audit, input)
    session.flash(
      'success',
      result.completedNow
        ? i18n.t('oversight_audits.completed')
        : OversightAuditsController.#sentences(
            i18n,
            i18n.t('oversight_audits.saved'),
            OversightAuditsController.#completion(i18n, result)
          )
    )
    return response.redirect().toRoute('oversight_audits.show', { id: audit.id })
  }

  /** 立入調査報告書 as an A4 PDF. */
  @inject()
  async report({ params, response, bouncer, auditLog }: HttpContext, clock: Clock) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const pdf = await PdfRenderer.render(
      AuditReport.definition(AuditReport.data(audit, clock.now()))
    )
    await auditLog.record({ action: 'oversight_audit.report', subject: audit })
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
  async download({ params, response, bouncer, auditLog }: HttpContext, files: StoredFiles) {
    const audit = await OversightAuditQueries.audit(params.id)
    await bouncer.with(OversightAuditPolicy).authorize('view', audit)
    const attachment = await OversightAuditQueries.attachment(audit, params.attachmentId)
    const sent = await files.send(response, attachment)
    await auditLog.record({
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

  /** Answered / total lines (overall and per section), and the open corrective actions that keep a fully answered audit in progress. */
  static #progress(audit: OversightAudit) {
    return {
      progress: AuditChecklist.progress(audit.lines),
      openActions: AuditCompletion.readiness(audit, audit.lines, audit.correctiveActions)
        .openActions,
    }
  }

  /** What the save did to the audit's completion: completed, held back by open actions, or nothing. */
  static #completion(
    i18n: HttpContext['i18n'],
    result: { completedNow: boolean; openActions: unknown[] }
  ): string | null {
    if (result.completedNow) return i18n.t('oversight_audits.completed')
    if (result.openActions.length)
      return i18n.t('oversight_audits.not_completed', { count: result.openActions.length })
    return null
  }

  /** Sentences of one message: run together in Japanese, spaced otherwise. */
  static #sentences(i18n: HttpContext['i18n'], ...parts: Array<string | null>): string {
    return parts.filter(Boolean).join(i18n.locale.startsWith('ja') ? '' : ' ')
  }
}
