import CouncilItem from '#models/council_item'
import CouncilMeeting from '#models/council_meeting'
import PersonalDataSystem from '#models/personal_data_system'

/**
 * The rows the council item pages load, with what they show preloaded.
 * These read one row by id whatever the user may see: the policy (through
 * CouncilScope) then refuses it with a 403, not a 404.
 */
export default class CouncilItemQueries {
  /** An item with its meeting, department, approver and annexes (their systems and contracts). */
  static async item(id: number): Promise<CouncilItem> {
    return CouncilItem.query()
      .where('id', id)
      .preload('meeting')
      .preload('department')
      .preload('approvedBy')
      .preload('requestedBy')
      .preload('annexes', (annexes) =>
        annexes
          .orderBy('sortOrder')
          .preload('system')
          .preload('contract', (contract) => contract.preload('contractor'))
      )
      .firstOrFail()
  }

  /** The system an item is about, with its contracts and their contractors. */
  static async system(id: number): Promise<PersonalDataSystem> {
    return PersonalDataSystem.query()
      .where('id', id || 0)
      .preload('contracts', (contracts) => contracts.preload('contractor').orderBy('id'))
      .firstOrFail()
  }

  /** Every meeting, the latest first. */
  static async meetings(): Promise<CouncilMeeting[]> {
    return CouncilMeeting.query().orderBy('fiscalYear', 'desc').orderBy('number', 'desc')
  }
}
