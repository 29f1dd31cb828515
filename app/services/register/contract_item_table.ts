import type DataItem from '#models/data_item'
import type ContractDataItem from '#models/contract_data_item'
import type { ItemDirection } from '#enums/register'
import { formRows } from '#validators/list_input'

/** One row of a contract's item table (委託先に提供する項目 / 委託先が収集する項目). */
export interface ContractItemRow {
  dataItemId: number
  name: string
  ticked: boolean
  heading: string
  note: string
  order: string
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))
const isTicked = (value: unknown) => value === true || ['1', 'true', 'on'].includes(String(value))

/**
 * The rows of a contract form's item table for one direction: every data item
 * of the system once. After a refused save, the rows as they were posted (so
 * nothing typed is lost and a row error points at the row the user sees);
 * otherwise the ticked items in their print order (numbered 1, 2, 3 …)
 * followed by the unticked ones in the system's order.
 */
export function contractItemTable(
  dataItems: DataItem[],
  links: ContractDataItem[],
  direction: ItemDirection,
  flashed: unknown
): ContractItemRow[] {
  const byId = new Map(dataItems.map((item) => [item.id, item]))
  const posted = formRows(flashed)
  if (posted.length) {
    const seen = new Set<number>()
    const rows: ContractItemRow[] = []
    for (const row of posted) {
      const item = byId.get(Number(row.dataItemId))
      if (!item || seen.has(item.id)) continue
      seen.add(item.id)
      rows.push({
        dataItemId: item.id,
        name: item.name,
        ticked: isTicked(row.ticked),
        heading: text(row.heading),
        note: text(row.note),
        order: text(row.order),
      })
    }
    const missing = dataItems.filter((item) => !seen.has(item.id))
    return [
      ...rows,
      ...missing.map((item) => ({
        dataItemId: item.id,
        name: item.name,
        ticked: false,
        heading: '',
        note: '',
        order: '',
      })),
    ]
  }

  const ticked = links
    .filter((link) => link.direction === direction && byId.has(link.dataItemId))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
  const tickedIds = new Set(ticked.map((link) => link.dataItemId))
  return [
    ...ticked.map((link, index) => ({
      dataItemId: link.dataItemId,
      name: byId.get(link.dataItemId)!.name,
      ticked: true,
      heading: link.groupHeading ?? '',
      note: link.note ?? '',
      order: String(index + 1),
    })),
    ...dataItems
      .filter((item) => !tickedIds.has(item.id))
      .map((item) => ({
        dataItemId: item.id,
        name: item.name,
        ticked: false,
        heading: '',
        note: '',
        order: '',
      })),
  ]
}
