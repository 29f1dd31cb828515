import type { DateTime } from 'luxon'
import type Department from '#models/department'
import DepartmentApprover from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import User from '#models/user'
import Approvers from '#services/approvals/approvers'
import { WARD_ZONE } from '#services/ward_calendar'
import { preloadTogether, type BelongsToLink } from '#services/lucid_preloads'

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
      .preload('user')
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
    // Who approves meanwhile matters only while the department names no approver.
    const namesApprover = rows.some((row) => row.capacity === 'approver')
    const meanwhile = namesApprover ? null : await Approvers.of(department.id, now, account, rows)
    const takenIds = rows.map((row) => row.userId)
    const candidates = await ApproverQueries.candidates(department.id, account)
    // The departments of the named people and of the candidates (often the same): one read.
    await preloadTogether(
      [...rows.map((row) => row.user), ...candidates].map((user): BelongsToLink => [
        user,
        'department',
      ])
    )
    return {
      department,
      approvers: named.filter((entry) => entry.row.capacity === 'approver'),
      acting: named.filter((entry) => entry.row.capacity === 'acting'),
      fallback: meanwhile?.approvers ?? [],
      candidates: candidates.filter((user) => !takenIds.includes(user.id)),
      named: rows.map((row) => row.user),
    }
  }
}
