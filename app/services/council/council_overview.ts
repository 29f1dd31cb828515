import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import type CouncilScope from '#builders/council_scope'
import Clock from '#services/clock'
import CouncilItemQueries from '#services/council/council_item_queries'
import ApprovedState from '#services/register/approved_state'
import SystemDiff from '#services/register/system_diff'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import { preloadTogether, type BelongsToLink } from '#services/lucid_preloads'
import { EDITABLE_COUNCIL_STATUSES } from '#enums/council'

/**
 * The council dashboard: items by meeting and status, systems never
 * submitted, systems whose register changed since the council approved
 * them, and the systems the user may start an item for; all within what
 * the user's CouncilScope sees.
 */
@inject()
export default class CouncilOverview {
  constructor(private readonly clock: Clock) {}

  async build(scope: CouncilScope) {
    const items = await scope.items().orderBy('id', 'desc')
    const meetings = await CouncilItemQueries.meetings()
    const unscheduled = items.filter((item) => item.meetingId === null)
    // An agenda per meeting with items, and per meeting still to come (undated or from today on):
    // a meeting just added, without items yet, shows at once. Every meeting is also in `meetings`.
    const today = this.clock.now().setZone(WARD_ZONE).toISODate()!
    const byMeeting = meetings
      .map((meeting) => ({ meeting, items: items.filter((item) => item.meetingId === meeting.id) }))
      .filter(
        (group) =>
          group.items.length > 0 ||
          group.meeting.heldOn === null ||
          group.meeting.heldOn.toISODate()! >= today
      )
    const meetingItemCounts = new Map<number, number>()
    for (const item of items) {
      if (item.meetingId !== null)
        meetingItemCounts.set(item.meetingId, (meetingItemCounts.get(item.meetingId) ?? 0) + 1)
    }

    const submittedSystemIds = await db
      .from('council_item_annexes')
      .join('council_items', 'council_items.id', 'council_item_annexes.item_id')
      .whereNotIn('council_items.status', [...EDITABLE_COUNCIL_STATUSES])
      .distinct('council_item_annexes.system_id')
    const submitted = new Set(submittedSystemIds.map((row) => Number(row.system_id)))
    const systems = await scope.systems().orderBy('name')
    // The items' and the systems' departments, mostly the same: one read. (The agendas name
    // their meetings from `meetings`: the items' own are not read.)
    await preloadTogether([
      ...items.map((item): BelongsToLink => [item, 'department']),
      ...systems.map((system): BelongsToLink => [system, 'department']),
    ])
    const neverSubmitted = systems.filter(
      (system) => !submitted.has(system.id) && system.lifecycle !== 'retired'
    )

    return {
      byMeeting,
      unscheduled,
      neverSubmitted,
      changedSinceApproval: await this.#changedSinceApproval(systems),
      meetings,
      meetingItemCounts,
      draftableSystems: scope.draftable(systems),
      currentFiscalYear: WardCalendar.fiscalYear(this.clock.now()),
    }
  }

  /**
   * Systems (of those given) whose latest version differs from the one the council last
   * approved: the approved versions in one read, the latest ones of the systems changed
   * since in another (a system's `version` is its latest: SystemSnapshots.record writes both).
   */
  async #changedSinceApproval(systems: PersonalDataSystem[]) {
    const approved = await ApprovedState.approvedVersions(systems.map((system) => system.id))
    const changedSince = systems.filter(
      (system) => system.version > (approved.get(system.id)?.version ?? system.version)
    )
    if (changedSince.length === 0) return []
    const latest = await SystemVersion.query()
      .whereIn(
        'systemId',
        changedSince.map((system) => system.id)
      )
      .whereIn(
        'version',
        changedSince.map((system) => system.version)
      )
    const changed: Array<{ system: PersonalDataSystem; approvedVersion: number }> = []
    for (const system of changedSince) {
      const approvedVersion = approved.get(system.id)!
      const current = latest.find(
        (version) => version.systemId === system.id && version.version === system.version
      )
      if (current && !SystemDiff.between(approvedVersion.snapshot, current.snapshot).same) {
        changed.push({ system, approvedVersion: approvedVersion.version })
      }
    }
    return changed
  }
}
