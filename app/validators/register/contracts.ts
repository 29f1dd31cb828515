import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import type { FieldContext } from '@vinejs/vine/types'
import { PERIOD_TYPES, RECORD_MEDIA, REPORT_FREQUENCIES, SELECTION_METHODS } from '#enums/register'
import { ITEMS_LAYOUTS, STARTS_ON_PRECISIONS } from '#enums/contracts'
import { asList, listOf, rowsOf } from '#validators/list_input'
import { type FieldLabels, choice, labelled, phrase } from '#validators/form_messages'

/*
|--------------------------------------------------------------------------
| 委託 and 再委託, as the council documents write them
|--------------------------------------------------------------------------
|
| Free text is kept as typed: line breaks, markers (1 , （1）, 【運用上の対策】, ・)
| and indentation stay; only trailing spaces and blank lines at the edges go.
| List fields accept what HTML forms and hand-made requests send: a list, one
| value, or an object keyed 0, 1, 2 … (read as a list in key order, see
| #validators/list_input). Anything else is refused with a Japanese message
| on the form, never a 500.
|
*/

/** Text that arrives as a list (or an object of lines) is read as its lines. */
function asText(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  const list = asList(value) as unknown[]
  return list.every(
    (line) =>
      line === null || line === undefined || typeof line === 'string' || typeof line === 'number'
  )
    ? list.filter((line) => line !== null && line !== undefined).join('\n')
    : value
}

const splitLines = (value: string) =>
  value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
const isBlank = (line: string) => line.trim() === ''

/** Multi-line text as typed: blank lines at the start and end and trailing spaces dropped. */
export function textAsTyped(value: string): string {
  const lines = splitLines(value)
  while (lines.length && isBlank(lines[0])) lines.shift()
  while (lines.length && isBlank(lines[lines.length - 1])) lines.pop()
  return lines.join('\n')
}

/** One entry per line as typed (markers and indentation kept); blank lines dropped. */
export function linesAsTyped(value: string): string[] {
  return splitLines(value).filter((line) => !isBlank(line))
}

/** Blocks separated by blank lines; each block's lines as typed. */
export function blocksAsTyped(value: string): string[] {
  const blocks: string[][] = [[]]
  for (const line of splitLines(value)) {
    if (isBlank(line)) {
      if (blocks[blocks.length - 1].length) blocks.push([])
    } else {
      blocks[blocks.length - 1].push(line)
    }
  }
  return blocks.filter((block) => block.length).map((block) => block.join('\n'))
}

/** A required text must hold something besides spaces. */
const notBlank = vine.createRule((value: unknown, _options: undefined, field: FieldContext) => {
  if (typeof value === 'string' && isBlank(value))
    field.report('{{ field }}を入力してください', 'required', field)
})

const text = (max: number) => vine.string().parse(asText).maxLength(max).transform(textAsTyped)
const optionalText = (max = 20000) => text(max).optional()
const requiredText = (max: number) =>
  vine.string().parse(asText).maxLength(max).use(notBlank()).transform(textAsTyped)
const lines = () => vine.string().parse(asText).maxLength(20000).transform(linesAsTyped).optional()
const blocks = () =>
  vine.string().parse(asText).maxLength(50000).transform(blocksAsTyped).optional()
const ticks = () => listOf(vine.number().withoutDecimals().min(1)).distinct().optional()

/** One row of a contract's item table: the tick, its heading, note and place. */
const itemRows = () =>
  rowsOf(
    vine.object({
      dataItemId: vine.number().withoutDecimals().min(1),
      ticked: vine.boolean().optional(),
      heading: vine.string().parse(asText).maxLength(300).transform(textAsTyped).optional(),
      note: optionalText(2000),
      order: vine.number().withoutDecimals().min(0).max(1000000).optional(),
    })
  )
    .distinct('dataItemId')
    .optional()

const mediaDetails = () =>
  vine
    .object(
      Object.fromEntries(RECORD_MEDIA.map((medium) => [medium, optionalText(500)])) as Record<
        (typeof RECORD_MEDIA)[number],
        ReturnType<typeof optionalText>
      >
    )
    .optional()

/** 委託 and 再委託 (the same form with the subcontract's own labels). */
export const contractValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(1).maxLength(200),
    contractorId: recordId().exists({ table: 'contractors', column: 'id' }).optional(),
    selectionMethod: vine.enum(SELECTION_METHODS).optional(),
    /** Printed in place of the contractor while undecided, as written. */
    undecidedNote: optionalText(2000),
    reason: requiredText(5000),
    tasks: blocks(),
    subjectsText: optionalText(5000),
    collectedItems: itemRows(),
    providedItems: itemRows(),
    /** Plain ticks (no headings or notes), for requests without the table. */
    collectedItemIds: ticks(),
    providedItemIds: ticks(),
    itemsLayout: vine.enum(ITEMS_LAYOUTS).optional(),
    itemsNote: optionalText(20000),
    periodType: vine.enum(PERIOD_TYPES),
    periodLead: optionalText(2000),
    startsOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    startsOnPrecision: vine.enum(STARTS_ON_PRECISIONS).optional(),
    endsOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .afterOrSameAs('startsOn')
      .optional(),
    periodNote: optionalText(2000),
    media: listOf(vine.enum(RECORD_MEDIA)).distinct().optional(),
    mediaDetails: mediaDetails(),
    wardMeasuresOperational: lines(),
    wardMeasuresSystem: lines(),
    contractorMeasuresOperational: lines(),
    contractorMeasuresSystem: lines(),
    specialTermSetId: recordId().exists({ table: 'special_term_sets', column: 'id' }).optional(),
    handlesPersonalData: vine.boolean().optional(),
    callCenter: vine.boolean().optional(),
    reportFrequency: vine.enum(REPORT_FREQUENCIES).optional(),
    deletionCertificateDays: vine.number().withoutDecimals().min(1).max(365).optional(),
  })
)

/* The form's labels (#validators/form_messages). */
const itemRowLabels = (table: string, caption: string) => ({
  [table]: caption,
  [`${table}.*.dataItemId`]: 'register.contracts.item_name',
  [`${table}.*.ticked`]: 'register.contracts.item_tick',
  [`${table}.*.heading`]: 'register.contracts.item_heading',
  [`${table}.*.note`]: 'register.contracts.item_note',
  [`${table}.*.order`]: 'register.contracts.item_order',
})
labelled(contractValidator, {
  title: 'register.contracts.contract_title',
  contractorId: choice('register.contracts.contractor'),
  selectionMethod: choice('register.contracts.selection_method'),
  undecidedNote: 'register.contracts.undecided_note',
  reason: 'register.contracts.reason',
  tasks: 'register.contracts.tasks',
  subjectsText: 'register.contracts.subjects_text',
  ...itemRowLabels('collectedItems', 'register.contracts.collected'),
  ...itemRowLabels('providedItems', 'register.contracts.provided'),
  collectedItemIds: choice('register.contracts.collected'),
  providedItemIds: choice('register.contracts.provided'),
  itemsLayout: choice('register.contracts.items_layout'),
  itemsNote: 'register.contracts.items_note',
  periodType: choice('register.contracts.period_type'),
  periodLead: 'register.contracts.period_lead',
  startsOn: 'register.contracts.starts_on',
  startsOnPrecision: choice('register.contracts.starts_on_precision'),
  endsOn: 'register.contracts.ends_on',
  periodNote: 'register.contracts.period_note',
  media: choice('register.contracts.media'),
  mediaDetails: 'register.contracts.media',
  ...Object.fromEntries(
    RECORD_MEDIA.map((medium) => [
      `mediaDetails.${medium}`,
      phrase('register.contracts.media_detail', { medium: `register.media.${medium}` }),
    ])
  ),
  wardMeasuresOperational: 'register.contracts.ward_measures_operational',
  wardMeasuresSystem: 'register.contracts.ward_measures_system',
  contractorMeasuresOperational: 'register.contracts.contractor_measures_operational',
  contractorMeasuresSystem: 'register.contracts.contractor_measures_system',
  specialTermSetId: choice('register.contracts.terms'),
  handlesPersonalData: 'register.contracts.handles_personal_data',
  callCenter: 'register.contracts.call_center',
  reportFrequency: choice('register.contracts.report_frequency'),
  deletionCertificateDays: 'register.contracts.deletion_certificate_days',
})

/** A subcontract's form names these fields as a subcontract's (given by the controller). */
export const SUBCONTRACT_LABELS: FieldLabels = {
  contractorId: choice('register.contracts.sub.contractor'),
  reason: 'register.contracts.sub.reason',
  tasks: 'register.contracts.sub.tasks',
  ...itemRowLabels('collectedItems', 'register.contracts.sub.collected'),
  ...itemRowLabels('providedItems', 'register.contracts.sub.provided'),
  collectedItemIds: choice('register.contracts.sub.collected'),
  providedItemIds: choice('register.contracts.sub.provided'),
  wardMeasuresOperational: 'register.contracts.sub.ward_measures_operational',
  wardMeasuresSystem: 'register.contracts.sub.ward_measures_system',
  contractorMeasuresOperational: 'register.contracts.sub.contractor_measures_operational',
  contractorMeasuresSystem: 'register.contracts.sub.contractor_measures_system',
}
