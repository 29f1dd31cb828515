import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import type Department from '#models/department'
import DepartmentApprover, { type ApproverCapacityName } from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import ApproverQueries from '#services/approvals/approver_queries'

/** A refusal shown on the field of the approvers page, which comes back with what was typed. */
const refused = (department: Department, field: string, message: string) =>
  new DomainError(message, {
    field,
    redirectTo: { route: 'admin.departments.approvers', params: { id: department.id } },
  })

/**
 * The administrator names a department's approvers and acting approvers and records when they
 * are away. Only staff and supervisors of the department or a unit above it can be named (they
 * see the department's items); an absence is recorded for a person named by the department.
 */
@inject()
export default class ManageDepartmentApprovers {
  constructor(private auditLog: AuditLogger) {}

  async name(
    department: Department,
    input: { userId: number; capacity: ApproverCapacityName }
  ): Promise<DepartmentApprover> {
    const candidates = await ApproverQueries.candidates(department.id)
    if (!candidates.some((user) => user.id === input.userId)) {
      throw refused(department, 'userId', 'approvals.admin.errors.not_candidate')
    }
    const taken = await DepartmentApprover.query()
      .where('departmentId', department.id)
      .where('userId', input.userId)
      .first()
    if (taken) throw refused(department, 'userId', 'approvals.admin.errors.already_named')
    const row = await DepartmentApprover.create({
      departmentId: department.id,
      userId: input.userId,
      capacity: input.capacity,
    })
    await this.auditLog.record({
      action: 'department.approver_add',
      subject: department,
      details: { user: input.userId, capacity: input.capacity },
    })
    return row
  }

  async remove(department: Department, approverId: number): Promise<void> {
    const row = await DepartmentApprover.query()
      .where('id', approverId)
      .where('departmentId', department.id)
      .firstOrFail()
    await row.delete()
    await this.auditLog.record({
      action: 'department.approver_remove',
      subject: department,
      details: { user: row.userId, capacity: row.capacity },
    })
  }

  async recordAbsence(
    department: Department,
    input: { absentUserId: number; startsOn: Date; endsOn: Date; note?: string }
  ): Promise<UserAbsence> {
    const named = await DepartmentApprover.query()
      .where('departmentId', department.id)
      .where('userId', input.absentUserId)
      .first()
    if (!named) throw refused(department, 'absentUserId', 'approvals.admin.errors.not_named')
    const startsOn = DateTime.fromJSDate(input.startsOn).startOf('day')
    const endsOn = DateTime.fromJSDate(input.endsOn).startOf('day')
    if (endsOn < startsOn) {
      throw refused(department, 'endsOn', 'approvals.admin.errors.ends_before_start')
    }
    const overlapping = await UserAbsence.query()
      .where('userId', input.absentUserId)
      .where('startsOn', '<=', endsOn.toISODate()!)
      .where('endsOn', '>=', startsOn.toISODate()!)
      .first()
    if (overlapping) throw refused(department, 'startsOn', 'approvals.admin.errors.overlapping')
    const absence = await UserAbsence.create({
      userId: input.absentUserId,
      startsOn,
      endsOn,
      note: input.note ?? null,
    })
    await this.auditLog.record({
      action: 'user.absence_add',
      subject: await User.findOrFail(input.absentUserId),
      details: { absence: absence.id, from: startsOn.toISODate(), to: endsOn.toISODate() },
    })
    return absence
  }

  /** Cancels an absence of a person the department names. */
  async cancelAbsence(department: Department, absenceId: number): Promise<void> {
    const absence = await UserAbsence.query()
      .where('id', absenceId)
      .whereIn('userId', (named) =>
        named.from('department_approvers').select('user_id').where('department_id', department.id)
      )
      .firstOrFail()
    await absence.delete()
    await this.auditLog.record({
      action: 'user.absence_remove',
      subject: { type: 'User', id: absence.userId },
      details: { absence: absence.id },
    })
  }
}
