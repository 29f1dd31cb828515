import db from '@adonisjs/lucid/services/db'
import CouncilItemAnnex from '#models/council_item_annex'
import ContractDataItem from '#models/contract_data_item'
import SystemVersion from '#models/system_version'
import SystemSnapshots from '#services/register/system_snapshot'
import SystemDiff, { type SystemDifference } from '#services/register/system_diff'
import type PersonalDataSystem from '#models/personal_data_system'
import type Contract from '#models/contract'
import type DataItem from '#models/data_item'
import { preloadTogether, type BelongsToLink } from '#services/lucid_preloads'

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
   * Systems the council never approved are absent. With `systemIds`, of those systems only.
   */
  static async approvedVersions(systemIds?: number[]): Promise<Map<number, SystemVersion>> {
    if (systemIds?.length === 0) return new Map()
    const rows = await db
      .from('council_item_annexes')
      .whereNotNull('approved_version_id')
      .if(systemIds, (query) => query.whereIn('system_id', systemIds!))
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

  /**
   * null when the council never approved this system. The system comes as
   * SystemQueries.forShow read it, with all its contracts.
   */
  static async compare(
    system: PersonalDataSystem,
    contracts: Contract[]
  ): Promise<ApprovalComparison | null> {
    const annex = await CouncilItemAnnex.query()
      .where('systemId', system.id)
      .whereNotNull('approvedVersionId')
      .preload('approvedVersion')
      .orderBy('approvedVersionId', 'desc')
      .first()
    if (!annex) return null
    await ApprovedState.#loadItemLinks(contracts, system.dataItems)
    return {
      approvedVersion: annex.approvedVersion,
      itemId: annex.itemId,
      difference: SystemDiff.between(
        annex.approvedVersion.snapshot,
        SystemSnapshots.of(system, contracts)
      ),
    }
  }

  /**
   * Each contract's item links with their data items, in one read for all; the items the
   * system's page has read already (`known`, the system's own) are not read again.
   */
  static async #loadItemLinks(contracts: Contract[], known: DataItem[]) {
    const links =
      contracts.length === 0
        ? []
        : await ContractDataItem.query().whereIn(
            'contractId',
            contracts.map((contract) => contract.id)
          )
    await preloadTogether(
      links.map((link): BelongsToLink => [link, 'dataItem']),
      known
    )
    for (const contract of contracts) {
      contract.$setRelated(
        'itemLinks',
        links.filter((link) => link.contractId === contract.id)
      )
    }
  }
}
