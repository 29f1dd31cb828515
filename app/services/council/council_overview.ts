import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import CouncilItem from '#models/council_item'
import CouncilMeeting from '#models/council_meeting'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import SystemDiff from '#services/register/system_diff'
import { WARD_ZONE } from '#services/ward_calendar'
import { EDITABLE_COUNCIL_STATUSES } from '#enums/council'
import type User from '#models/user'

/**
 * The council dashboard: items by meeting and status, systems never
 * submitted, and systems whose register changed since the council
 * approved them.
 */
export default class CouncilOverview {
  static async build(departmentIds: number[] | null) {
    const scoped = <T extends { whereIn: Function }>(query: T, column: string) =>
      departmentIds === null ? query : (query.whereIn(column, departmentIds) as T)

    const items = await scoped(CouncilItem.query(), 'departmentId')
      .preload('meeting')
      .preload('department')
      .orderBy('id', 'desc')
    const meetings = await CouncilMeeting.query().orderBy('fiscalYear', 'desc').orderBy('number', 'desc')
    const unscheduled = items.filter((item) => item.meetingId === null)
    // An agenda per meeting with items, and per meeting still to come (undated or from today on):
    // a meeting just added, without items yet, shows at once. Every meeting is also in `meetings`.
    const today = DateTime.now().setZone(WARD_ZONE).toISODate()!
    const byMeeting = meetings
      .map((meeting) => ({ meeting, items: items.filter((item) => item.meetingId === meeting.id) }))
      .filter((group) => group.items.length > 0 || group.meeting.heldOn === null || group.meeting.heldOn.toISODate()! >= today)
    const meetingItemCounts = new Map<number, number>()
    for (const item of items) {
      if (item.meetingId !== null) meetingItemCounts.set(item.meetingId, (meetingItemCounts.get(item.meetingId) ?? 0) + 1)
    }

    const submittedSystemIds = await db
      .from('council_item_annexes')
      .join('council_items', 'council_items.id', 'council_item_annexes.item_id')
      .whereNotIn('council_items.status', [...EDITABLE_COUNCIL_STATUSES])
      .distinct('council_item_annexes.system_id')
    const submitted = new Set(submittedSystemIds.map((row) => Number(row.system_id)))
    const systems = await scoped(PersonalDataSystem.query(), 'departmentId').preload('department').orderBy('name')
    const neverSubmitted = systems.filter((system) => !submitted.has(system.id) && system.lifecycle !== 'retired')

    const approvedRows = await db
      .from('council_item_annexes')
      .whereNotNull('approved_version_id')
      .select('system_id')
      .max('approved_version_id as version_id')
      .groupBy('system_id')
    const changedSinceApproval: Array<{ system: PersonalDataSystem; approvedVersion: number }> = []
    for (const row of approvedRows) {
      const system = systems.find((candidate) => candidate.id === Number(row.system_id))
      if (!system) continue
      const approved = await SystemVersion.findOrFail(row.version_id)
      const latest = await SystemVersion.query().where('systemId', system.id).orderBy('version', 'desc').firstOrFail()
      if (latest.version > approved.version && !SystemDiff.between(approved.snapshot, latest.snapshot).same) {
        changedSinceApproval.push({ system, approvedVersion: approved.version })
      }
    }
    return { byMeeting, unscheduled, neverSubmitted, changedSinceApproval, meetings, meetingItemCounts }
  }

  /**
   * Systems the user may start an item for (CouncilItemPolicy.draftFor):
   * any for the privacy office, their departments' for staff and supervisors.
   */
  static async draftableSystems(user: User): Promise<PersonalDataSystem[]> {
    if (user.role !== 'privacy_officer' && user.role !== 'department_staff' && user.role !== 'supervisor') return []
    const visible = user.role === 'privacy_officer' ? null : await user.visibleDepartmentIds()
    if (visible !== null && visible.length === 0) return []
    const query = PersonalDataSystem.query().preload('department').whereNot('lifecycle', 'retired').orderBy('name')
    if (visible !== null) query.whereIn('departmentId', visible)
    return query
  }
}
