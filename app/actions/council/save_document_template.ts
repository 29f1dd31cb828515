import db from '@adonisjs/lucid/services/db'
import type { TemplateRow } from '#enums/document_template'
import DocumentTemplate from '#models/document_template'
import AuditLogger from '#services/audit_logger'
import type { DocumentTemplateInput } from '#validators/council/document_template'

export interface SaveDocumentTemplateResult {
  template: DocumentTemplate
  /** False when the form was saved unchanged (nothing written, nothing logged). */
  changed: boolean
}

/**
 * Saves the privacy office's edit of a template: labels, always-printed
 * flags and order of its rows, the numbering style and (system annex) the
 * sub-labels of 記録される情報項目. The keys were checked by the validator.
 */
export default class SaveDocumentTemplate {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    template: DocumentTemplate,
    input: DocumentTemplateInput
  ): Promise<SaveDocumentTemplateResult> {
    const before = template.rows
    template.rows = SaveDocumentTemplate.ordered(input.rows).map((row) => ({
      key: row.key,
      label: row.label,
      always: row.always ?? false,
    }))
    template.numbering = input.numbering
    if (template.kind === 'system_annex' && input.parts) {
      template.parts = { ...input.parts }
    }
    if (!template.$isDirty) return { template, changed: false }

    const changedFields = AuditLogger.changedFieldsOf(template)
    await db.transaction(async (trx) => {
      template.useTransaction(trx)
      await template.save()
      await this.auditLog.record(
        {
          action: 'document_templates.update',
          subject: template,
          changedFields,
          details: {
            kind: template.kind,
            relabelled: SaveDocumentTemplate.#changedKeys(
              before,
              template.rows,
              (row) => row.label
            ),
            always: SaveDocumentTemplate.#changedKeys(before, template.rows, (row) => row.always),
            reordered:
              before.map((row) => row.key).join() !== template.rows.map((row) => row.key).join(),
            numbering: template.numbering,
          },
        },
        trx
      )
    })
    return { template, changed: true }
  }

  /**
   * Rows sorted by their order number. A row whose number is not its
   * position was moved by the user: among equal numbers it goes first, so
   * "5 → 2" puts the fifth row second. Otherwise the posted order holds.
   */
  static ordered<T extends { order?: number }>(rows: T[]): T[] {
    return rows
      .map((row, index) => ({ row, index, order: row.order ?? index + 1 }))
      .sort((a, b) => {
        if (a.order !== b.order) return a.order - b.order
        const aMoved = a.order !== a.index + 1
        const bMoved = b.order !== b.index + 1
        if (aMoved !== bMoved) return aMoved ? -1 : 1
        return a.index - b.index
      })
      .map((entry) => entry.row)
  }

  static #changedKeys(
    before: TemplateRow[],
    after: TemplateRow[],
    value: (row: TemplateRow) => unknown
  ): string[] {
    return after
      .filter((row) => {
        const old = before.find((candidate) => candidate.key === row.key)
        return !old || value(old) !== value(row)
      })
      .map((row) => row.key)
  }
}
