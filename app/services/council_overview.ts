import db from '@adonisjs/lucid/services/db'
import CouncilItem from '#models/council_item'
import CouncilMeeting from '#models/council_meeting'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import SystemDiff from '#services/system_diff'

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
    const byMeeting = meetings
      .map((meeting) => ({ meeting, items: items.filter((item) => item.meetingId === meeting.id) }))
      .filter((group) => group.items.length > 0 || group.meeting.heldOn === null)

    const submittedSystemIds = await db
      .from('council_item_annexes')
      .join('council_items', 'council_items.id', 'council_item_annexes.item_id')
      .whereNot('council_items.status', 'draft')
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
    return { byMeeting, unscheduled, neverSubmitted, changedSinceApproval, meetings }
  }
}
