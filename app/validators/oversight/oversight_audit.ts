import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { AUDIT_ANSWERS } from '#services/oversight/oversight_audit_checklist'
import { listOf, rowsOf, tableRows } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

const optionalText = (max = 20000) => vine.string().trim().maxLength(max).optional()
const date = () => vine.date({ formats: ['YYYY-MM-DD'] })

/** 実施日 and 調査員; the number of distinct ward auditors is checked by the action. */
const header = {
  auditedOn: date(),
  auditorIds: listOf(recordId()).optional(),
}

/** 立入調査: create (the checklist is generated from the contract). */
export const oversightAuditValidator = vine.compile(vine.object(header))

/**
 * 立入調査: one section of the checklist (the lines of one source), each
 * line's answer and note.
 */
export const checklistSectionValidator = vine.compile(
  vine.object({
    lines: rowsOf(
      vine.object({
        id: recordId(),
        answer: vine.enum(AUDIT_ANSWERS).optional(),
        note: optionalText(2000),
      })
    ).optional(),
  })
)

/**
 * 立入調査: date, auditors, findings and corrective actions. Blank finding
 * and action rows (the form offers some) are left out: they read as null
 * and keep their place, so errors name the row the user sees.
 */
export const oversightAuditUpdateValidator = vine.compile(
  vine.object({
    ...header,
    findings: tableRows(
      vine.object({
        id: recordId().optional(),
        lineId: recordId().optional(),
        detail: vine.string().trim().minLength(1).maxLength(5000),
      }),
      ['detail']
    ).optional(),
    actions: tableRows(
      vine.object({
        id: recordId().optional(),
        lineId: recordId().optional(),
        measure: vine.string().trim().minLength(1).maxLength(5000),
        owner: vine.string().trim().minLength(1).maxLength(100),
        dueOn: date(),
        doneOn: date().optional(),
      }),
      ['measure', 'owner', 'dueOn', 'doneOn']
    ).optional(),
  })
)

/** An attachment: type, size and content are checked by the action (extension and magic bytes). */
export const auditAttachmentValidator = vine.compile(
  vine.object({
    file: vine.file().optional(),
    caption: optionalText(200),
  })
)

/* The forms' labels (#validators/form_messages). */
const AUDIT_HEADER_LABELS = {
  auditedOn: 'oversight_audits.audited_on',
  auditorIds: choice('oversight_audits.auditors'),
}
labelled(oversightAuditValidator, AUDIT_HEADER_LABELS)
labelled(checklistSectionValidator, {
  'lines': 'oversight_audits.rows.lines',
  'lines.*.id': 'oversight_audits.rows.lines',
  'lines.*.answer': choice('oversight_audits.answer'),
  'lines.*.note': 'oversight_audits.note',
})
labelled(oversightAuditUpdateValidator, {
  ...AUDIT_HEADER_LABELS,
  'findings': 'oversight_audits.rows.findings',
  'findings.*.id': 'oversight_audits.rows.findings',
  'findings.*.lineId': choice('oversight_audits.related_line'),
  'findings.*.detail': 'oversight_audits.finding_detail',
  'actions': 'oversight_audits.rows.actions',
  'actions.*.id': 'oversight_audits.rows.actions',
  'actions.*.lineId': choice('oversight_audits.related_line'),
  'actions.*.measure': 'oversight_audits.measure',
  'actions.*.owner': 'oversight_audits.owner',
  'actions.*.dueOn': 'oversight_audits.due_on',
  'actions.*.doneOn': 'oversight_audits.done_on',
})
labelled(auditAttachmentValidator, {
  file: choice('oversight_audits.attachments.file'),
  caption: 'oversight_audits.attachments.caption',
})
