import PersonalDataSystem from '#models/personal_data_system'
import DataItem from '#models/data_item'
import Contract from '#models/contract'
import SaveSystem, { type SystemInput } from '#actions/register/save_system'
import SaveContract, { type ContractInput } from '#actions/register/save_contract'
import type User from '#models/user'

/** A system saved through the real use case (so it has version 1). */
export async function makeSystem(user: User, departmentId: number, overrides: Partial<SystemInput> = {}) {
  const input: SystemInput = {
    departmentId,
    name: 'テスト業務システム',
    purpose: '区民からの申請を処理する。',
    lifecycle: 'operating',
    fileType: 'computer',
    media: ['electronic'],
    subjectGroups: ['申請者'],
    ...overrides,
  }
  return new SaveSystem().handle(new PersonalDataSystem(), input, user)
}

export async function makeItem(systemId: number, name: string) {
  return DataItem.create({ systemId, name, sortOrder: 0 })
}

export async function makeContract(user: User, system: PersonalDataSystem, overrides: Partial<ContractInput> = {}, parent: Contract | null = null) {
  const input: ContractInput = {
    title: 'テスト委託',
    reason: '専門的な知識が必要なため',
    periodType: 'fixed',
    tasks: [],
    wardMeasuresOperational: [],
    wardMeasuresSystem: [],
    contractorMeasuresOperational: [],
    contractorMeasuresSystem: [],
    ...overrides,
  }
  const result = await new SaveContract().handle(new Contract(), system.id, parent, input, user)
  if (!result.ok) throw new Error(result.message)
  return result.contract
}

/** Many data items of a system at once, in the order given (sortOrder 0, 1, 2 …). */
export async function makeItems(systemId: number, names: string[]) {
  return DataItem.createMany(names.map((name, index) => ({ systemId, name, sortOrder: index })))
}

/** A row of a contract form's item table (委託先に提供する項目 / 委託先が収集する項目). */
export interface ItemTableRow {
  dataItemId: number
  ticked?: boolean
  heading?: string
  note?: string
  order?: number | string
}

/** A contract form's item table as the HTML form posts it: field[i][dataItemId], [ticked], [heading], [note], [order]. */
export function itemTableFields(field: 'collectedItems' | 'providedItems', rows: ItemTableRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.flatMap((row, index) => [
      [`${field}[${index}][dataItemId]`, String(row.dataItemId)],
      ...(row.ticked ? [[`${field}[${index}][ticked]`, '1']] : []),
      [`${field}[${index}][heading]`, row.heading ?? ''],
      [`${field}[${index}][note]`, row.note ?? ''],
      [`${field}[${index}][order]`, row.order === undefined ? '' : String(row.order)],
    ])
  )
}
