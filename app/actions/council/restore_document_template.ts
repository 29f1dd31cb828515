import db from '@adonisjs/lucid/services/db'
import DocumentTemplate from '#models/document_template'
import AuditLogger from '#services/audit_logger'

/**
 * Puts a template back to the ward's default wording: default labels, order
 * and always-printed rows, half-width numbering, default sub-labels.
 */
export default class RestoreDocumentTemplate {
  async handle(template: DocumentTemplate): Promise<DocumentTemplate> {
    const defaults = DocumentTemplate.defaults(template.kind)
    template.merge({
      name: defaults.name,
      rows: defaults.rows,
      numbering: defaults.numbering,
      parts: defaults.parts,
    })
    const changedFields = AuditLogger.changedFieldsOf(template)
    await db.transaction(async (trx) => {
      template.useTransaction(trx)
      await template.save()
      await AuditLogger.record(
        {
          action: 'document_templates.restore',
          subject: template,
          changedFields,
          details: { kind: template.kind },
        },
        trx
      )
    })
    return template
  }
}
