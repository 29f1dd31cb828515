import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import type { Infer } from '@vinejs/vine/types'
import { PROHIBITED_CATEGORIES, SPECIAL_CARE_CATEGORIES } from '#enums/register'
import { asRows } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

/** The most rows one bulk save takes (far above any real document). */
export const MAX_ITEM_ROWS = 2000

const optionalText = (max: number) => vine.string().trim().maxLength(max).optional()

/** 記録項目 of a system, one at a time (the page that also records approvals). */
export const dataItemValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100),
    groupHeading: optionalText(300),
    note: optionalText(2000),
    subjectGroupId: recordId().optional(),
    specialCareCategory: vine.enum(SPECIAL_CARE_CATEGORIES).optional(),
    prohibitedCategory: vine.enum(PROHIBITED_CATEGORIES).optional(),
    prohibitedApprovedOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    prohibitedApprovedBy: optionalText(100),
    prohibitedApprovalReference: optionalText(2000),
    sortOrder: vine.number().withoutDecimals().min(0).max(9999).optional(),
  })
)

/**
 * The whole table of data items (bulk form). A row without any content is
 * skipped; a row with only a heading starts a group; whether a row needs a
 * name is checked by the SaveDataItems action (so it can name the row).
 */
export const dataItemRowsValidator = vine.compile(
  vine.object({
    version: vine.number().withoutDecimals().min(0).optional(),
    rows: vine
      .array(
        vine.object({
          id: vine.number().withoutDecimals().min(1).optional(),
          groupHeading: optionalText(300),
          // Required on a row that has anything else (a note, an id, a category) and is not ticked for removal.
          name: optionalText(100).requiredWhen((field) => rowNeedsName(field.parent)),
          note: optionalText(2000),
          subjectGroupId: vine.number().withoutDecimals().min(1).optional(),
          specialCareCategory: vine.enum(SPECIAL_CARE_CATEGORIES).optional(),
          prohibitedCategory: vine.enum(PROHIBITED_CATEGORIES).optional(),
          remove: vine.boolean().optional(),
        })
      )
      .maxLength(MAX_ITEM_ROWS),
  })
)

/** A row with content besides a heading (a note, an id, a category) needs a name unless it is removed. */
function rowNeedsName(row: unknown): boolean {
  if (!row || typeof row !== 'object') return false
  const cells = row as Record<string, unknown>
  const filled = (key: string) =>
    cells[key] !== undefined && cells[key] !== null && String(cells[key]).trim() !== ''
  const removed = ['1', 'true', 'on'].includes(String(cells.remove ?? ''))
  return (
    !removed &&
    ['id', 'note', 'subjectGroupId', 'specialCareCategory', 'prohibitedCategory'].some(filled)
  )
}

export type DataItemRowsInput = Infer<typeof dataItemRowsValidator>
export type DataItemRowInput = DataItemRowsInput['rows'][number]

/** A pasted list for the preview (nothing is saved). */
export const dataItemPasteValidator = vine.compile(
  vine.object({
    paste: vine.string().maxLength(200_000).optional(),
    pasteMode: vine.enum(['append', 'replace'] as const).optional(),
  })
)

/**
 * The `rows` field as a list (see `asRows`: a list, an object of rows keyed by
 * index, or one row sent on its own). A plain value is no table: null is
 * returned and the form says so in Japanese.
 */
export function rowsAsList(value: unknown): unknown[] | null {
  if (value === undefined || value === null || value === '') return []
  const rows = asRows(value)
  return Array.isArray(rows) ? rows : null
}

/* The forms' labels (#validators/form_messages); the table's own messages are data_items.validator. */
labelled(dataItemValidator, {
  name: 'register.items.name',
  groupHeading: 'data_items.item.group_heading',
  note: 'data_items.item.note',
  subjectGroupId: choice('register.items.subject_group'),
  specialCareCategory: choice('register.items.special_care'),
  prohibitedCategory: choice('register.items.prohibited'),
  prohibitedApprovedOn: 'register.items.approved_on',
  prohibitedApprovedBy: 'register.items.approved_by',
  prohibitedApprovalReference: 'register.items.approval_reference',
  sortOrder: 'data_items.item.sort_order',
})
const TABLE_MESSAGES = { messages: 'data_items.validator.messages' }
labelled(
  dataItemRowsValidator,
  {
    'version': 'data_items.validator.fields.version',
    'rows': 'data_items.validator.fields.rows',
    'rows.*.id': 'data_items.validator.fields.id',
    'rows.*.groupHeading': 'data_items.bulk.heading',
    'rows.*.name': 'data_items.bulk.name',
    'rows.*.note': 'data_items.bulk.note',
    'rows.*.subjectGroupId': choice('data_items.bulk.subject_group'),
    'rows.*.specialCareCategory': choice('data_items.bulk.special_care'),
    'rows.*.prohibitedCategory': choice('data_items.bulk.prohibited'),
    'rows.*.remove': 'data_items.bulk.remove',
  },
  TABLE_MESSAGES
)
labelled(
  dataItemPasteValidator,
  {
    paste: 'data_items.bulk.paste_label',
    pasteMode: choice('data_items.validator.fields.pasteMode'),
  },
  TABLE_MESSAGES
)
