import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import Department from '#models/department'
import type CouncilItem from '#models/council_item'
import Clock from '#services/clock'
import Approvers from '#services/approvals/approvers'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'

/** A translation key (council.next.*) and its parameters. */
export interface CouncilNextStepText {
  key: string
  params: Record<string, string>
}

const HEAD_SUFFIX = { bu: '部長', ka: '課長', kakari: '係長' } as const

/**
 * Who must act next on an item, derived from its status:
 * 上位者の承認待ち：広聴担当課長 → 事務局への提出待ち：広聴担当課 →
 * 審議会への提出待ち：個人情報保護担当 → 審議会の日程待ち / 開催待ち →
 * 審議結果の記録待ち → (継続審議なら次回の会議への登録待ち) → 審議済み.
 * Today (for a meeting still to come) is the container's Clock.
 */
@inject()
export default class CouncilNextStep {
  constructor(private readonly clock: Clock) {}

  async of(item: CouncilItem): Promise<CouncilNextStepText> {
    const today = this.clock.now().setZone(WARD_ZONE)
    const department = item.department ?? (await Department.findOrFail(item.departmentId))
    switch (item.status) {
      case 'draft':
        return {
          key: 'council.next.awaiting_approval',
          params: {
            who: CouncilNextStep.headTitle(department),
            names: await this.#approverNames(item, today),
          },
        }
      case 'approved':
        return { key: 'council.next.awaiting_submission', params: { who: department.name } }
      case 'submitted':
        return { key: 'council.next.awaiting_agenda', params: {} }
      case 'on_agenda': {
        const meeting = item.meeting ?? null
        const decidedOn = item.decidedOn?.toISODate() ?? null
        if (
          item.outcome === 'continued' &&
          decidedOn &&
          (!meeting?.heldOn || meeting.heldOn.toISODate()! <= decidedOn)
        ) {
          return { key: 'council.next.awaiting_next_meeting', params: {} }
        }
        if (!meeting?.heldOn)
          return { key: 'council.next.awaiting_date', params: { meeting: meeting?.label ?? '' } }
        if (meeting.heldOn.toISODate()! > today.toISODate()!) {
          return {
            key: 'council.next.awaiting_meeting',
            params: { meeting: meeting.label, date: WardCalendar.formatEra(meeting.heldOn) },
          }
        }
        return { key: 'council.next.awaiting_decision', params: { meeting: meeting.label } }
      }
      default:
        return { key: 'council.next.done', params: {} }
    }
  }

  /**
   * The title of a unit's head as documents write it: 広聴担当課 → 広聴担当課長,
   * 危機管理室 → 危機管理室長, 広聴担当 (a 課) → 広聴担当課長.
   */
  static headTitle(department: Department): string {
    return /[部課係室局]$/.test(department.name)
      ? `${department.name}長`
      : `${department.name}${HEAD_SUFFIX[department.level]}`
  }

  /** Who may approve it today, not its drafters (Approvers: the approvers present, else acting ones and privacy officers). */
  async #approverNames(item: CouncilItem, today: DateTime): Promise<string> {
    const approvers = await Approvers.requestRecipients(Approvers.forCouncilItem(item), today)
    return approvers
      .slice(0, 5)
      .map((user) => user.fullName)
      .join('、')
  }
}
