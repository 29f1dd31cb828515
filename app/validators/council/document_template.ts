import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import type { FieldContext } from '@vinejs/vine/types'
import { NUMBERING_STYLES, ROW_KEYS, type TemplateKind } from '#enums/document_template'
import { rowsOf } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

/** Messages and field names of this validator: resources/lang/{ja,en}/document_templates.json. */
const DOCUMENT_TEMPLATE_MESSAGES = 'document_templates.validator'

export const LABEL_MAX_LENGTH = 200

/**
 * The rows must be exactly the kind's keys, each once: rows are relabelled
 * and reordered, never added or removed.
 */
const templateKeys = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (!Array.isArray(value)) return
  const kind = field.meta.kind as TemplateKind
  const expected = ROW_KEYS[kind] ?? []
  const keys = value.map((row) =>
    row && typeof row === 'object' ? String((row as any).key ?? '').trim() : ''
  )
  const exact =
    keys.length === expected.length &&
    new Set(keys).size === keys.length &&
    expected.every((key) => keys.includes(key))
  if (!exact) field.report('The rows must be the template’s rows', 'templateKeys', field)
})

const label = () => vine.string().trim().minLength(1).maxLength(LABEL_MAX_LENGTH)

/** 様式: labels, order and always-printed flag of each row; numbering; 記録される情報項目 sub-labels. */
export const documentTemplateValidator = vine.withMetaData<{ kind: TemplateKind }>().compile(
  vine.object({
    /** A list, or rows sent as an object or as one row (see list_input). */
    rows: rowsOf(
      vine.object({
        key: vine.string().trim().maxLength(50),
        label: label(),
        always: vine.boolean().optional(),
        order: vine.number().withoutDecimals().min(1).max(999).optional(),
      })
    ).use(templateKeys()),
    numbering: vine.enum(NUMBERING_STYLES),
    parts: vine
      .object({
        subjects: label(),
        items: label(),
        computer: label(),
      })
      .optional(),
  })
)

export type DocumentTemplateInput = Infer<typeof documentTemplateValidator>

/* The form's labels (#validators/form_messages) and its own messages. */
labelled(
  documentTemplateValidator,
  {
    'rows': 'document_templates.validator.fields.rows',
    'rows.*.key': 'document_templates.validator.fields.key',
    'rows.*.label': 'document_templates.validator.fields.label',
    'rows.*.always': 'document_templates.validator.fields.always',
    'rows.*.order': 'document_templates.validator.fields.order',
    'numbering': choice('document_templates.numbering'),
    'parts': 'document_templates.validator.fields.parts',
    'parts.subjects': 'document_templates.validator.fields.subjects',
    'parts.items': 'document_templates.validator.fields.items',
    'parts.computer': 'document_templates.validator.fields.computer',
  },
  { messages: `${DOCUMENT_TEMPLATE_MESSAGES}.messages` }
)
