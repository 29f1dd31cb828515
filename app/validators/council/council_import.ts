import vine from '@vinejs/vine'
import type { VineObject } from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { COUNCIL_KINDS } from '#enums/council'
import { PERIOD_TYPES, RECORD_MEDIA, SELECTION_METHODS } from '#enums/register'
import { STARTS_ON_PRECISIONS } from '#enums/contracts'
import { asList, asRows } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

/** A one-line text of the draft. */
const line = (max = 1000) => vine.string().maxLength(max).nullable().optional()
/** A text area (several lines, kept as written). */
const area = (max = 50000) => vine.string().maxLength(max).nullable().optional()
/** A date as the form sends it (YYYY-MM-DD), or empty. */
const isoDate = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional()
const media = () => vine.array(vine.enum(RECORD_MEDIA)).parse(asList).nullable().optional()

/** An entry of a list sent as rows (annexes[0][…]); anything else reads as no rows. */
const rows = <Row extends VineObject<any, any, any, any>>(row: Row) =>
  vine
    .array(row)
    .parse((value) => {
      const list = asRows(value)
      return Array.isArray(list) ? list : []
    })
    .optional()

/** A row of the table the template does not model (表にない行): label, value, position. */
const extraRows = () =>
  rows(
    vine.object({
      label: line(500),
      value: area(20000),
      /** The key of the template row it follows: '^' first, '' (or nothing) at the end. */
      after: line(100),
    })
  )

/** Per template row (by key): another label, or the row not printed. */
const rowOverrides = () =>
  vine
    .record(
      vine.object({
        label: line(1000),
        hidden: vine.boolean().optional(),
      })
    )
    .optional()

/**
 * The review form of an import (PUT /council/imports/:id): the draft's fields as edited.
 * Every field is optional (one not sent keeps the draft's value); see draft_corrections.ts
 * for how lists and data items are read back.
 */
export const councilImportCorrectionsValidator = vine.compile(
  vine.object({
    item: vine
      .object({
        subject: vine.string().trim().minLength(1).maxLength(1000).optional(),
        documentNumber: line(200),
        basis: vine
          .object(Object.fromEntries(COUNCIL_KINDS.map((kind) => [kind, area(5000)])))
          .optional(),
        departmentLabel: line(200),
        contactSection: line(200),
        contactPerson: line(200),
        contactExtension: line(50),
        extraRows: extraRows(),
      })
      .optional(),
    department: vine
      .object({ name: vine.string().trim().minLength(1).maxLength(200).optional() })
      .optional(),
    system: vine
      .object({
        name: vine.string().trim().minLength(1).maxLength(500).optional(),
        businessName: line(500),
        purpose: area(20000),
        subjectsSummary: area(5000),
        subjectGroups: area(20000),
        dataItems: area(100000),
        recordingComputer: area(2000),
        mediaShown: vine.string().optional(),
        media: media(),
        description: area(50000),
        changeReason: area(20000),
        changeContent: area(20000),
        developmentMeasures: area(20000),
        changeSchedule: area(5000),
      })
      .optional(),
    annexes: rows(
      vine.object({
        captions: area(5000),
        rowOverrides: rowOverrides(),
        extraRows: extraRows(),
        /** The index of the contract a subcontract belongs to; empty = a contract. */
        parentAnnex: vine.number().withoutDecimals().min(0).nullable().optional(),
        subject: line(1000),
        holderLabel: line(200),
        title: vine.string().trim().maxLength(1000).nullable().optional(),
        contractorName: line(300),
        undecidedNote: area(2000),
        selectionMethod: vine.enum(SELECTION_METHODS).nullable().optional(),
        reason: area(20000),
        tasks: area(50000),
        subjectsText: area(5000),
        items: area(100000),
        itemsNote: area(5000),
        periodType: vine.enum(PERIOD_TYPES).optional(),
        periodLead: line(500),
        startsOn: isoDate(),
        startsOnPrecision: vine.enum(STARTS_ON_PRECISIONS).optional(),
        endsOn: isoDate(),
        periodNote: area(2000),
        mediaShown: vine.string().optional(),
        media: media(),
        mediaDetails: vine
          .object(Object.fromEntries(RECORD_MEDIA.map((medium) => [medium, line(300)])))
          .optional(),
        wardMeasures: area(20000),
        contractorMeasures: area(20000),
        approvedOn: isoDate(),
        approvedBy: line(300),
      })
    ),
    /** Marks that the form carried the checkboxes of the unused lines. */
    leftOutShown: vine.string().optional(),
    /** Unused source lines checked as deliberately left out. */
    leftOutLines: vine
      .array(vine.number().withoutDecimals().min(1))
      .parse(asList)
      .nullable()
      .optional(),
    termSets: rows(
      vine.object({
        name: vine.string().trim().maxLength(300).nullable().optional(),
        clauses: area(200000),
      })
    ),
  })
)

export type CouncilImportCorrections = Infer<typeof councilImportCorrectionsValidator>

/* The review form's labels (#validators/form_messages), by path: the same name means different fields. */
const review = (key: string) => `council_imports.ui.review.${key}`
const extraRowLabels = (path: string) => ({
  [path]: review('extra_rows'),
  [`${path}.*.label`]: review('extra_label'),
  [`${path}.*.value`]: review('extra_value'),
  [`${path}.*.after`]: choice(review('extra_position')),
})
labelled(councilImportCorrectionsValidator, {
  'item': review('subject'),
  'item.subject': review('subject'),
  'item.documentNumber': review('document_number'),
  'item.basis': review('basis_hint'),
  ...Object.fromEntries(
    COUNCIL_KINDS.map((kind) => [`item.basis.${kind}`, `council.kind.${kind}`])
  ),
  'item.departmentLabel': review('department_label'),
  'item.contactSection': review('contact_section'),
  'item.contactPerson': review('contact_person'),
  'item.contactExtension': review('contact_extension'),
  ...extraRowLabels('item.extraRows'),
  'department': review('department_name'),
  'department.name': review('department_name'),
  'system': review('system_name'),
  'system.name': review('system_name'),
  'system.businessName': review('business_name'),
  'system.purpose': review('purpose'),
  'system.subjectsSummary': review('subjects_summary'),
  'system.subjectGroups': review('subject_groups'),
  'system.dataItems': review('data_items'),
  'system.recordingComputer': review('recording_computer'),
  'system.mediaShown': choice(review('media')),
  'system.media': choice(review('media')),
  'system.description': review('description'),
  'system.changeReason': review('change_reason'),
  'system.changeContent': review('change_content'),
  'system.developmentMeasures': review('development_measures'),
  'system.changeSchedule': review('change_schedule'),
  'annexes': review('annex_subject'),
  'annexes.*.captions': review('captions'),
  'annexes.*.rowOverrides': review('template_rows'),
  'annexes.*.rowOverrides.*.label': review('row_label'),
  'annexes.*.rowOverrides.*.hidden': review('row_hidden'),
  ...extraRowLabels('annexes.*.extraRows'),
  'annexes.*.parentAnnex': choice(review('parent_annex')),
  'annexes.*.subject': review('annex_subject'),
  'annexes.*.holderLabel': review('holder_label'),
  'annexes.*.title': review('contract_title'),
  'annexes.*.contractorName': review('contractor'),
  'annexes.*.undecidedNote': review('undecided_note'),
  'annexes.*.selectionMethod': choice(review('selection_method')),
  'annexes.*.reason': review('reason'),
  'annexes.*.tasks': review('tasks'),
  'annexes.*.subjectsText': review('subjects_text'),
  'annexes.*.items': review('contract_items'),
  'annexes.*.itemsNote': review('items_note'),
  'annexes.*.periodType': choice(review('period_type')),
  'annexes.*.periodLead': review('period_lead'),
  'annexes.*.startsOn': review('starts_on'),
  'annexes.*.startsOnPrecision': choice(review('starts_on_precision')),
  'annexes.*.endsOn': review('ends_on'),
  'annexes.*.periodNote': review('period_note'),
  'annexes.*.mediaShown': choice(review('media')),
  'annexes.*.media': choice(review('media')),
  'annexes.*.mediaDetails': review('media_details'),
  ...Object.fromEntries(
    RECORD_MEDIA.map((medium) => [`annexes.*.mediaDetails.${medium}`, review('media_details')])
  ),
  'annexes.*.wardMeasures': review('ward_measures'),
  'annexes.*.contractorMeasures': review('contractor_measures'),
  'annexes.*.approvedOn': review('approved_on'),
  'annexes.*.approvedBy': review('approved_by'),
  'leftOutShown': choice(review('left_out')),
  'leftOutLines': choice(review('left_out')),
  'termSets': review('term_set_name'),
  'termSets.*.name': review('term_set_name'),
  'termSets.*.clauses': review('clauses'),
})
