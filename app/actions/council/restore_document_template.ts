import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import DocumentTemplate from '#models/document_template'
import AuditLogger from '#services/audit_logger'

/**
 * Puts a template back to the ward's default wording: default labels, order
 * and always-printed rows, half-width numbering, default sub-labels.
 */
@inject()
export default class RestoreDocumentTemplate {
  constructor(private auditLog: AuditLogger) {}

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
      await this.auditLog.record(
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
