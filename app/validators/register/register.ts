import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { FILE_TYPES, LIFECYCLES, RECORD_MEDIA } from '#enums/register'
import { listOf, textLines } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

/** Text areas: one entry per line (measures, subject groups). */
const lines = () => textLines(20000)

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()
const media = () => listOf(vine.enum(RECORD_MEDIA)).distinct().optional()

/** 登録業務: create and edit. */
export const systemValidator = vine.compile(
  vine.object({
    departmentId: recordId().exists({ table: 'departments', column: 'id' }),
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
    retiredOn: vine
      .date({ formats: ['YYYY-MM-DD'] })
      .afterOrSameAs('startedOn')
      .optional(),
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

// 記録項目: dataItemValidator and the bulk table's validators are in #validators/data_items.

// 委託 and 再委託: contractValidator is in #validators/contracts.

/** The ward's approval of a subcontract (再委託の承認). */
export const subcontractApprovalValidator = vine.compile(
  vine.object({
    approvedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    approvedBy: vine.string().trim().minLength(1).maxLength(100),
    /** The written approval (文書番号, or its date and title); required by some special terms. */
    approvalReference: vine.string().trim().maxLength(200).optional(),
  })
)

// Special-terms sets: specialTermSetValidator is in #validators/special_terms.

/** Register list filters. */
export const systemSearchValidator = vine.compile(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    departmentId: recordId().optional(),
    lifecycle: vine.enum(LIFECYCLES).optional(),
    page: vine.number().withoutDecimals().min(1).optional(),
  })
)

/* The forms' labels (#validators/form_messages). */
labelled(systemValidator, {
  departmentId: choice('register.systems.department'),
  name: 'register.systems.name',
  businessName: 'register.systems.business_name',
  purpose: 'register.systems.purpose',
  subjectsSummary: 'register.systems.subjects_summary',
  subjectGroups: 'register.systems.subject_groups',
  description: 'register.systems.description',
  recordingComputer: 'register.systems.recording_computer',
  media: choice('register.systems.media'),
  lifecycle: choice('register.systems.lifecycle'),
  startedOn: 'register.systems.started_on',
  retiredOn: 'register.systems.retired_on',
  changeReason: 'register.systems.change_reason',
  changeContent: 'register.systems.change_content',
  developmentMeasures: 'register.systems.development_measures',
  changeSchedule: 'register.systems.change_schedule',
  collectionMethod: 'register.systems.collection_method',
  regularRecipients: 'register.systems.regular_recipients',
  fileType: choice('register.systems.file_type'),
  publishedInFileRegister: 'register.systems.published',
  otherLawProcedures: 'register.systems.other_law_procedures',
})
labelled(subcontractApprovalValidator, {
  approvedOn: 'register.contracts.approved_on',
  approvedBy: 'register.contracts.approved_by',
  approvalReference: 'register.contracts.approval_reference',
})
labelled(systemSearchValidator, {
  q: 'register.systems.search',
  departmentId: choice('register.systems.department'),
  lifecycle: choice('register.systems.lifecycle'),
  page: 'messages.common.pagination',
})
