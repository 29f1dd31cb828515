import { DEFAULT_TEMPLATE_ROWS } from '#enums/document_template'
import type DocumentTemplate from '#models/document_template'
import { formRows } from '#validators/list_input'

/** One row of the edit form (from the template, or as typed when the form comes back with errors). */
export interface DocumentTemplateFormRow {
  key: string
  label: string
  always: boolean
  order: string
  defaultLabel: string
}

/** The rows of a template's edit form, each with the ward's default label beside it. */
export default class DocumentTemplateForm {
  /** The rows as typed when the form came back (`typed`: the flashed `rows`), else the template's. */
  static rows(template: DocumentTemplate, typed: unknown): DocumentTemplateFormRow[] {
    const defaults = new Map(
      DEFAULT_TEMPLATE_ROWS[template.kind].map((row) => [row.key, row.label])
    )
    const sent = DocumentTemplateForm.#typedRows(typed, defaults)
    if (sent.length > 0) return sent
    return template.rows.map((row, index) => ({
      key: row.key,
      label: row.label,
      always: row.always,
      order: String(index + 1),
      defaultLabel: defaults.get(row.key) ?? '',
    }))
  }

  /** The rows as typed, whatever shape they came back in (list, object, one row); none when no rows. */
  static #typedRows(typed: unknown, defaults: Map<string, string>): DocumentTemplateFormRow[] {
    const text = (value: unknown) =>
      typeof value === 'string' || typeof value === 'number' ? String(value) : ''
    return formRows(typed).map((fields, index) => {
      const key = text(fields.key)
      return {
        key,
        label: text(fields.label),
        always:
          fields.always !== undefined &&
          fields.always !== null &&
          fields.always !== '' &&
          fields.always !== false,
        order: text(fields.order) || String(index + 1),
        defaultLabel: defaults.get(key) ?? '',
      }
    })
  }
}
