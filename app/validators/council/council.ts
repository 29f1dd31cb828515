import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { COUNCIL_OUTCOMES } from '#enums/council'
import { asRows, listOf, tableRows, textLines } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The annexes' wording as a list of objects (see list_input: an object keyed
 * by index, or a single annex, reads as a list); an entry that is no object
 * (a tampered form) is ignored.
 */
const objectsOnly = (value: unknown) => {
  if (value === undefined || value === null) return value
  const list = asRows(value)
  return Array.isArray(list) ? list.filter(isPlainObject) : []
}

/** A { rowKey: { rowLabel, hidden } } map; anything else (a tampered form) counts as no override. */
const recordOnly = (value: unknown) =>
  isPlainObject(value)
    ? Object.fromEntries(Object.entries(value).filter(([, entry]) => isPlainObject(entry)))
    : undefined

/** The fields of an extra row the user fills in (its position select is always set). */
export const EXTRA_ROW_FIELDS = ['extraLabel', 'extraValue'] as const

/**
 * Rows the template does not model, as written: the template row they follow
 * (a row key, '^' = first, '' = at the end), their label and their value
 * (several lines; tab-separated lines print as a table). Blank rows read as null.
 */
const extraRows = () =>
  tableRows(
    vine.object({
      extraAfter: vine.string().trim().maxLength(100).optional(),
      extraLabel: vine.string().trim().maxLength(500).optional(),
      extraValue: vine.string().maxLength(20000).optional(),
    }),
    EXTRA_ROW_FIELDS
  ).optional()

/** The wording of one annex as the document states it (keyed by 'system' / 'contract:<id>'). */
const annexWording = vine.object({
  key: vine.string().trim().optional(),
  subject: vine.string().trim().maxLength(1000).optional(),
  captions: vine.string().trim().maxLength(5000).optional(),
  holderLabel: vine.string().trim().maxLength(200).optional(),
  overrides: vine
    .record(
      vine.object({
        rowLabel: vine.string().trim().maxLength(1000).optional(),
        hidden: vine.boolean().optional(),
      })
    )
    .parse(recordOnly)
    .optional(),
  extraRows: extraRows(),
})

/** One article per line, kept as written (a ◇ prints only where it was typed). */
const articleLines = () => textLines(5000)

/** A meeting of the council. */
export const councilMeetingValidator = vine.compile(
  vine.object({
    fiscalYear: vine.number().withoutDecimals().min(1989).max(2100),
    number: vine.number().withoutDecimals().min(1).max(99),
    heldOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
  })
)

/** An item (諮問・報告事項) and its annexes. */
export const councilItemValidator = vine.compile(
  vine.object({
    systemId: recordId(),
    subject: vine.string().trim().minLength(1).maxLength(300),
    consultationArticles: articleLines(),
    reportArticles: articleLines(),
    priorReportArticles: articleLines(),
    contactSection: vine.string().trim().maxLength(100).optional(),
    contactPerson: vine.string().trim().maxLength(100).optional(),
    contactExtension: vine.string().trim().maxLength(30).optional(),
    departmentLabel: vine.string().trim().maxLength(200).optional(),
    includeSystem: vine.boolean().optional(),
    contractIds: listOf(recordId()).distinct().optional(),
    annexes: vine.array(annexWording).parse(objectsOnly).optional(),
    overviewExtraRows: extraRows(),
  })
)

/** Putting a submitted item on a meeting's agenda. */
export const councilScheduleValidator = vine.compile(
  vine.object({
    meetingId: recordId().exists({ table: 'council_meetings', column: 'id' }),
    documentNumber: vine.string().trim().minLength(1).maxLength(30),
  })
)

/** The council's decision. */
export const councilDecisionValidator = vine.compile(
  vine.object({
    outcome: vine.enum(COUNCIL_OUTCOMES),
    decidedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    conditions: vine.string().trim().maxLength(5000).optional(),
  })
)

/* The forms' labels (#validators/form_messages). */
labelled(councilMeetingValidator, {
  fiscalYear: 'council.dashboard.fiscal_year',
  number: 'council.dashboard.number',
  heldOn: 'council.dashboard.held_on',
  notes: 'council.dashboard.notes',
})
labelled(councilItemValidator, {
  'systemId': choice('council.dashboard.start_system'),
  'subject': 'council.items.subject',
  'consultationArticles': 'council.items.consultation_articles',
  'reportArticles': 'council.items.report_articles',
  'priorReportArticles': 'council.items.prior_report_articles',
  'contactSection': 'council.items.contact_section',
  'contactPerson': 'council.items.contact_person',
  'contactExtension': 'council.items.contact_extension',
  'departmentLabel': 'council.items.department_label',
  'includeSystem': 'council.items.include_system',
  'contractIds': choice('council.items.annexes'),
  'annexes': 'council.items.annexes',
  'key': 'council.items.annexes',
  'captions': 'council.items.captions',
  'holderLabel': 'council.items.holder_label',
  'overrides': 'council.items.overrides',
  'rowLabel': 'council.items.override_label',
  'hidden': 'council.items.override_hidden',
  'extraRows': 'council.items.extra_rows',
  'overviewExtraRows': 'council.items.extra_rows',
  'extraAfter': choice('council.items.extra_position'),
  'extraLabel': 'council.items.extra_label',
  'extraValue': 'council.items.extra_value',
  'annexes.*.subject': 'council.items.annex_subject',
})
labelled(councilScheduleValidator, {
  meetingId: choice('council.items.meeting'),
  documentNumber: 'council.items.document_number',
})
labelled(councilDecisionValidator, {
  outcome: choice('council.items.outcome'),
  decidedOn: 'council.items.decided_on',
  conditions: 'council.items.conditions',
})
