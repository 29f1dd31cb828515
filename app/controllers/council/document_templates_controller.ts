import type { HttpContext } from '@adonisjs/core/http'
import { NUMBERING_STYLES } from '#enums/document_template'
import DocumentTemplate, { RECORDED_ITEMS_PARTS } from '#models/document_template'
import DocumentTemplatePolicy from '#policies/council/document_template_policy'
import SaveDocumentTemplate from '#actions/council/save_document_template'
import RestoreDocumentTemplate from '#actions/council/restore_document_template'
import { LABEL_MAX_LENGTH, documentTemplateValidator } from '#validators/council/document_template'
import DocumentTemplateForm from '#services/council/document_template_form'

/**
 * Council document templates (様式): the privacy office relabels and
 * reorders the rows of each annex kind and picks the numbering style.
 */
export default class DocumentTemplatesController {
  /** The four templates (any missing kind is created with its defaults). */
  async index({ view, bouncer }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const templates = await DocumentTemplate.ensureAll()
    return view.render('pages/council/document_templates/index', { templates })
  }

  async edit({ params, view, bouncer, session }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const template = await DocumentTemplate.findOrFail(params.id)
    const rows = DocumentTemplateForm.rows(template, session.flashMessages.get('rows'))
    return view.render('pages/council/document_templates/edit', {
      template,
      rows,
      numberingStyles: NUMBERING_STYLES,
      parts: RECORDED_ITEMS_PARTS,
      labelMaxLength: LABEL_MAX_LENGTH,
    })
  }

  async update({ params, request, response, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const template = await DocumentTemplate.findOrFail(params.id)
    const input = await request.validateUsing(documentTemplateValidator, {
      meta: { kind: template.kind },
    })
    const { changed } = await new SaveDocumentTemplate(auditLog).handle(template, input)
    session.flash(
      'success',
      i18n.t(changed ? 'document_templates.saved' : 'document_templates.unchanged')
    )
    return response.redirect().toRoute('document_templates.edit', { id: template.id })
  }

  /** Back to the ward's default wording. */
  async restore({ params, response, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const template = await DocumentTemplate.findOrFail(params.id)
    await new RestoreDocumentTemplate(auditLog).handle(template)
    session.flash('success', i18n.t('document_templates.restored'))
    return response.redirect().toRoute('document_templates.edit', { id: template.id })
  }
}
