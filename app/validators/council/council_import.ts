import vine from '@vinejs/vine'
import type { VineObject } from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { COUNCIL_KINDS } from '#enums/council'
import { PERIOD_TYPES, RECORD_MEDIA, SELECTION_METHODS } from '#enums/register'
import { STARTS_ON_PRECISIONS } from '#enums/contracts'
import { asList, asRows } from '#validators/list_input'

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
