import vine from '@vinejs/vine'
import {
  FILE_TYPES,
  LIFECYCLES,
  PERIOD_TYPES,
  PROHIBITED_CATEGORIES,
  RECORD_MEDIA,
  REPORT_FREQUENCIES,
  SELECTION_METHODS,
  SPECIAL_CARE_CATEGORIES,
} from '#enums/register'

/** Text areas: one entry per line (measures, subject groups). */
const lines = () =>
  vine
    .string()
    .trim()
    .maxLength(20000)
    .optional()
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    )

/** Sub-tasks: one block per task, blocks separated by an empty line. */
const blocks = () =>
  vine
    .string()
    .trim()
    .maxLength(50000)
    .optional()
    .transform((value) =>
      value
        .split(/\r?\n\s*\r?\n/)
        .map((block) => block.replace(/\r\n/g, '\n').trim())
        .filter(Boolean)
    )

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()
const media = () => vine.array(vine.enum(RECORD_MEDIA)).distinct().optional()

/** 登録業務: create and edit. */
export const systemValidator = vine.compile(
  vine.object({
    departmentId: vine.number().exists({ table: 'departments', column: 'id' }),
    name: vine.string().trim().minLength(1).maxLength(200),
    businessName: optionalText(200),
    purpose: vine.string().trim().minLength(1).maxLength(5000),
    subjectsSummary: optionalText(2000),
    subjectGroups: lines(),
    description: optionalText(),
    recordingComputer: optionalText(5000),
    media: media(),
    lifecycle: vine.enum(LIFECYCLES),
    startedOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    retiredOn: vine.date({ formats: ['YYYY-MM-DD'] }).afterOrSameAs('startedOn').optional(),
    changeReason: optionalText(),
    changeContent: optionalText(),
    developmentMeasures: optionalText(),
    changeSchedule: optionalText(),
    collectionMethod: optionalText(2000),
    regularRecipients: optionalText(2000),
    fileType: vine.enum(FILE_TYPES),
    publishedInFileRegister: vine.boolean().optional(),
    otherLawProcedures: optionalText(2000),
  })
)

/** 記録項目 of a system. */
export const dataItemValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100),
    subjectGroupId: vine.number().optional(),
    specialCareCategory: vine.enum(SPECIAL_CARE_CATEGORIES).optional(),
    prohibitedCategory: vine.enum(PROHIBITED_CATEGORIES).optional(),
    prohibitedApprovedOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    prohibitedApprovedBy: optionalText(100),
    prohibitedApprovalReference: optionalText(2000),
    sortOrder: vine.number().withoutDecimals().min(0).max(9999).optional(),
  })
)

/** 委託 and 再委託. */
export const contractValidator = vine.compile(
  vine.object({
    title: vine.string().trim().minLength(1).maxLength(200),
    contractorId: vine.number().exists({ table: 'contractors', column: 'id' }).optional(),
    selectionMethod: vine.enum(SELECTION_METHODS).optional(),
    undecidedNote: optionalText(2000),
    reason: vine.string().trim().minLength(1).maxLength(5000),
    tasks: blocks(),
    periodType: vine.enum(PERIOD_TYPES),
    startsOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    endsOn: vine.date({ formats: ['YYYY-MM-DD'] }).afterOrSameAs('startsOn').optional(),
    periodNote: optionalText(2000),
    media: media(),
    wardMeasuresOperational: lines(),
    wardMeasuresSystem: lines(),
    contractorMeasuresOperational: lines(),
    contractorMeasuresSystem: lines(),
    specialTermSetId: vine.number().exists({ table: 'special_term_sets', column: 'id' }).optional(),
    handlesPersonalData: vine.boolean().optional(),
    reportFrequency: vine.enum(REPORT_FREQUENCIES).optional(),
    deletionCertificateDays: vine.number().withoutDecimals().min(1).max(365).optional(),
    collectedItemIds: vine.array(vine.number()).distinct().optional(),
    providedItemIds: vine.array(vine.number()).distinct().optional(),
  })
)

/** The ward's approval of a subcontract (再委託の承認). */
export const subcontractApprovalValidator = vine.compile(
  vine.object({
    approvedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    approvedBy: vine.string().trim().minLength(1).maxLength(100),
  })
)

/** A new version of a special-terms set: one clause per block. */
export const specialTermSetValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    appliesTo: vine.enum(['contractor', 'subcontractor'] as const),
    effectiveFrom: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    notes: optionalText(2000),
    clauses: vine
      .array(
        vine.object({
          heading: vine.string().trim().minLength(1).maxLength(100),
          body: vine.string().trim().minLength(1).maxLength(5000),
          items: lines(),
          duty: vine.enum(['audit', 'roster', 'training', 'incident_report', 'return_erasure', 'periodic_report', 'subcontract_approval'] as const).optional(),
        })
      )
      .minLength(1),
  })
)

/** Register list filters. */
export const systemSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    departmentId: vine.number().optional(),
    lifecycle: vine.enum(LIFECYCLES).optional(),
    page: vine.number().withoutDecimals().min(1).optional(),
  })
)
