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
