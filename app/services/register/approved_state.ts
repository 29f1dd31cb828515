import db from '@adonisjs/lucid/services/db'
import CouncilItemAnnex from '#models/council_item_annex'
import SystemVersion from '#models/system_version'
import SystemSnapshots from '#services/register/system_snapshot'
import SystemDiff, { type SystemDifference } from '#services/register/system_diff'
import type PersonalDataSystem from '#models/personal_data_system'

export interface ApprovalComparison {
  approvedVersion: SystemVersion
  itemId: number
  difference: SystemDifference
}

/**
 * What the council last approved for a system, and how the register
 * differs from it now.
 *
 * "Approved" means: the register version frozen on an annex of an item the
 * council approved or acknowledged (AdvanceCouncilItem.decide sets
 * approved_version_id); a system's latest approval is its highest such version.
 */
export default class ApprovedState {
  /**
   * The version each system's latest council approval froze, by system id.
   * Systems the council never approved are absent.
   */
  static async approvedVersions(): Promise<Map<number, SystemVersion>> {
    const rows = await db
      .from('council_item_annexes')
      .whereNotNull('approved_version_id')
      .select('system_id')
      .max('approved_version_id as version_id')
      .groupBy('system_id')
    if (rows.length === 0) return new Map()
    const versions = await SystemVersion.query().whereIn(
      'id',
      rows.map((row) => Number(row.version_id))
    )
    return new Map(versions.map((version) => [version.systemId, version]))
  }

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
