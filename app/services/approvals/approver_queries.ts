import type { DateTime } from 'luxon'
import type Department from '#models/department'
import DepartmentApprover from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import User from '#models/user'
import Approvers from '#services/approvals/approvers'
import { WARD_ZONE } from '#services/ward_calendar'

/** A named person with their absences that are not over yet. */
export interface NamedApproverRow {
  row: DepartmentApprover
  absences: UserAbsence[]
  awayToday: UserAbsence | null
}

/** What the administration page of a department's approvers shows. */
export default class ApproverQueries {
  /** Active staff and supervisors of the department or a unit above it (who can see its items). */
  static async candidates(departmentId: number, account?: User): Promise<User[]> {
    return User.query()
      .where('isActive', true)
      .whereIn('role', ['department_staff', 'supervisor'])
      .whereIn('departmentId', await Approvers.chain(departmentId, account))
      .preload('department')
      .orderBy('departmentId')
      .orderBy('id')
  }

  /**
   * The named approvers and acting approvers, their coming absences, and who approves
   * meanwhile; the organisation as read for the request's `account`.
   */
  static async forPage(department: Department, now: DateTime, account?: User) {
    const today = now.setZone(WARD_ZONE).toISODate()!
    const rows = await DepartmentApprover.query()
      .where('departmentId', department.id)
      .preload('user', (user) => user.preload('department'))
      .orderBy('id')
    const absences = rows.length
      ? await UserAbsence.query()
          .whereIn(
            'userId',
            rows.map((row) => row.userId)
          )
          .where('endsOn', '>=', today)
          .orderBy('startsOn')
      : []
    const named: NamedApproverRow[] = rows.map((row) => {
      const own = absences.filter((absence) => absence.userId === row.userId)
      return { row, absences: own, awayToday: own.find((a) => a.covers(today)) ?? null }
    })
    const set = await Approvers.of(department.id, now, account)
    const takenIds = rows.map((row) => row.userId)
    const candidates = await ApproverQueries.candidates(department.id, account)
    return {
      department,
      approvers: named.filter((entry) => entry.row.capacity === 'approver'),
      acting: named.filter((entry) => entry.row.capacity === 'acting'),
      fallback: set.named ? [] : set.approvers,
      candidates: candidates.filter((user) => !takenIds.includes(user.id)),
      named: rows.map((row) => row.user),
    }
  }
}
