import CouncilItemAnnex from '#models/council_item_annex'
import SystemVersion from '#models/system_version'
import SystemSnapshots from '#services/system_snapshot'
import SystemDiff, { type SystemDifference } from '#services/system_diff'
import type PersonalDataSystem from '#models/personal_data_system'

export interface ApprovalComparison {
  approvedVersion: SystemVersion
  itemId: number
  difference: SystemDifference
}

/**
 * What the council last approved for a system, and how the register
 * differs from it now.
 */
export default class ApprovedState {
  /** null when the council never approved this system. */
  static async compare(system: PersonalDataSystem): Promise<ApprovalComparison | null> {
    const annex = await CouncilItemAnnex.query()
      .where('systemId', system.id)
      .whereNotNull('approvedVersionId')
      .preload('approvedVersion')
      .orderBy('approvedVersionId', 'desc')
      .first()
    if (!annex) return null
    const current = await SystemSnapshots.capture(system.id)
    return {
      approvedVersion: annex.approvedVersion,
      itemId: annex.itemId,
      difference: SystemDiff.between(annex.approvedVersion.snapshot, current),
    }
  }
}
