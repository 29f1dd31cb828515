import vine from '@vinejs/vine'
import { recordId } from '#validators/record_id'
import { choice, labelled } from '#validators/form_messages'
import { APPROVER_CAPACITIES } from '#models/department_approver'

/** Administrator names an approver (承認者) or an acting approver (代理) of a department. */
export const departmentApproverValidator = vine.compile(
  vine.object({
    userId: recordId(),
    capacity: vine.enum(APPROVER_CAPACITIES),
  })
)

/** Administrator records a period in which a named person is away (不在). */
export const approverAbsenceValidator = vine.compile(
  vine.object({
    absentUserId: recordId(),
    startsOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    endsOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    note: vine.string().trim().maxLength(200).optional(),
  })
)

/* The approvers page's labels (#validators/form_messages). */
labelled(departmentApproverValidator, {
  userId: choice('approvals.admin.user'),
  capacity: choice('approvals.admin.capacity'),
})
labelled(approverAbsenceValidator, {
  absentUserId: choice('approvals.admin.user'),
  startsOn: 'approvals.admin.starts_on',
  endsOn: 'approvals.admin.ends_on',
  note: 'approvals.admin.note',
})
