import type { HttpContext } from '@adonisjs/core/http'
import { DEFAULT_TEMPLATE_ROWS, NUMBERING_STYLES } from '#enums/document_template'
import DocumentTemplate, { RECORDED_ITEMS_PARTS } from '#models/document_template'
import DocumentTemplatePolicy from '#policies/council/document_template_policy'
import SaveDocumentTemplate from '#actions/council/save_document_template'
import RestoreDocumentTemplate from '#actions/council/restore_document_template'
import { DOCUMENT_TEMPLATE_MESSAGES, LABEL_MAX_LENGTH, documentTemplateValidator } from '#validators/council/document_template'
import { formRows } from '#validators/list_input'

/** One row of the edit form (from the template, or as typed when the form comes back with errors). */
interface FormRow {
  key: string
  label: string
  always: boolean
  order: string
  defaultLabel: string
}

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
    const defaults = new Map(DEFAULT_TEMPLATE_ROWS[template.kind].map((row) => [row.key, row.label]))
    const typed = DocumentTemplatesController.#typedRows(session.flashMessages.get('rows'), defaults)
    const rows: FormRow[] = typed.length
      ? typed
      : template.rows.map((row, index) => ({
            key: row.key,
            label: row.label,
            always: row.always,
            order: String(index + 1),
            defaultLabel: defaults.get(row.key) ?? '',
          }))
    return view.render('pages/council/document_templates/edit', {
      template,
      rows,
      numberingStyles: NUMBERING_STYLES,
      parts: RECORDED_ITEMS_PARTS,
      labelMaxLength: LABEL_MAX_LENGTH,
    })
  }

  async update({ params, request, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const template = await DocumentTemplate.findOrFail(params.id)
    const input = await request.validateUsing(documentTemplateValidator, {
      meta: { kind: template.kind },
      messagesProvider: i18n.createMessagesProvider(DOCUMENT_TEMPLATE_MESSAGES),
    })
    const { changed } = await new SaveDocumentTemplate().handle(template, input)
    session.flash('success', i18n.t(changed ? 'document_templates.saved' : 'document_templates.unchanged'))
    return response.redirect().toRoute('document_templates.edit', { id: template.id })
  }

  /** Back to the ward's default wording. */
  async restore({ params, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(DocumentTemplatePolicy).authorize('manage')
    const template = await DocumentTemplate.findOrFail(params.id)
    await new RestoreDocumentTemplate().handle(template)
    session.flash('success', i18n.t('document_templates.restored'))
    return response.redirect().toRoute('document_templates.edit', { id: template.id })
  }

  /** The rows as typed, whatever shape they came back in (list, object, one row); none when no rows. */
  static #typedRows(typed: unknown, defaults: Map<string, string>): FormRow[] {
    const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '')
    return formRows(typed).map((fields, index) => {
      const key = text(fields.key)
      return {
        key,
        label: text(fields.label),
        always: fields.always !== undefined && fields.always !== null && fields.always !== '' && fields.always !== false,
        order: text(fields.order) || String(index + 1),
        defaultLabel: defaults.get(key) ?? '',
      }
    })
  }
}
