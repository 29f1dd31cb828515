import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'

export interface ContractUse {
  title: string
  subcontract: boolean
}

/**
 * Which contracts list data items (as collected or provided items). An item
 * a contract lists is not removed from the register: the contract (and its
 * council document) would lose it without anyone deciding so.
 */
export default class DataItemUses {
  /** item id → the contracts that list it, in contract order. */
  static async contracts(
    itemIds: number[],
    client?: QueryClientContract
  ): Promise<Map<number, ContractUse[]>> {
    const uses = new Map<number, ContractUse[]>()
    if (itemIds.length === 0) return uses
    const rows: Array<{ data_item_id: number; title: string; parent_contract_id: number | null }> =
      await (client ?? db)
        .from('contract_data_items')
        .join('contracts', 'contracts.id', 'contract_data_items.contract_id')
        .whereIn('contract_data_items.data_item_id', itemIds)
        .select(
          'contract_data_items.data_item_id',
          'contracts.title',
          'contracts.parent_contract_id'
        )
        .orderBy('contracts.id')
    for (const row of rows) {
      const list = uses.get(Number(row.data_item_id)) ?? []
      if (!list.some((use) => use.title === row.title))
        list.push({ title: row.title, subcontract: row.parent_contract_id !== null })
      uses.set(Number(row.data_item_id), list)
    }
    return uses
  }
}
