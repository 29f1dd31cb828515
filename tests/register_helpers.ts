import PersonalDataSystem from '#models/personal_data_system'
import { DataItemFactory } from '#database/factories/data_item_factory'
import { UserFactory } from '#database/factories/user_factory'
import Contract from '#models/contract'
import SaveSystem, { type SystemInput } from '#actions/register/save_system'
import SaveContract, { type ContractInput } from '#actions/register/save_contract'
import type User from '#models/user'
import CouncilItem from '#models/council_item'
import { CouncilMeetingFactory } from '#database/factories/council_meeting_factory'
import type { CouncilOutcome } from '#enums/council'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import AuditLogger from '#services/audit_logger'

/** A system saved through the real use case (so it has version 1). */
export async function makeSystem(
  user: User,
  departmentId: number,
  overrides: Partial<SystemInput> = {}
) {
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
  return new SaveSystem(AuditLogger.system).handle(new PersonalDataSystem(), input, user)
}

export async function makeItem(systemId: number, name: string) {
  return DataItemFactory.merge({ systemId, name, sortOrder: 0 }).create()
}

export async function makeContract(
  user: User,
  system: PersonalDataSystem,
  overrides: Partial<ContractInput> = {},
  parent: Contract | null = null
) {
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
  const { contract } = await new SaveContract(AuditLogger.system).handle(
    new Contract(),
    system.id,
    parent,
    input,
    user
  )
  return contract
}

/** Many data items of a system at once, in the order given (sortOrder 0, 1, 2 …). */
export async function makeItems(systemId: number, names: string[]) {
  return DataItemFactory.merge(
    names.map((name, index) => ({ systemId, name, sortOrder: index }))
  ).createMany(names.length)
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
export function itemTableFields(
  field: 'collectedItems' | 'providedItems',
  rows: ItemTableRow[]
): Record<string, string> {
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

/** The people who take an item through the council: staff and supervisor of the system's department, and the privacy office. */
export interface CouncilPeople {
  staff: User
  supervisor: User
  officer: User
}

/** The staff and supervisor of a department, who draft and approve its items, and the privacy office. */
export async function makeCouncilPeople(departmentId: number): Promise<CouncilPeople> {
  const staff = await UserFactory.merge({ departmentId }).create()
  const supervisor = await UserFactory.apply('supervisor').merge({ departmentId }).create()
  const officer = await UserFactory.apply('privacyOfficer').create()
  return { staff, supervisor, officer }
}

/**
 * Puts a drafted item on a new meeting's agenda over HTTP as users do: the
 * supervisor approves it, the staff submits it, the privacy office schedules it.
 */
export async function putOnAgenda(client: ApiClient, item: CouncilItem, people: CouncilPeople) {
  const { staff, supervisor, officer } = people
  await client
    .post(`/council/items/${item.id}/approve`)
    .loginAs(supervisor)
    .withCsrfToken()
    .redirects(0)
  await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken().redirects(0)
  const meeting = await CouncilMeetingFactory.merge({ number: 100 + item.id }).create()
  await client
    .post(`/council/items/${item.id}/schedule`)
    .loginAs(officer)
    .withCsrfToken()
    .form({ meetingId: meeting.id, documentNumber: `資料${item.id}` })
    .redirects(0)
}

/**
 * Takes a system through the council over HTTP as users do: the staff drafts
 * an item (system annex only), the supervisor approves it, it is submitted,
 * put on a meeting and decided (approved by default) today. Returns the item.
 */
export async function decideInCouncil(
  client: ApiClient,
  system: PersonalDataSystem,
  people: CouncilPeople,
  outcome: CouncilOutcome = 'approved'
) {
  const { staff, officer } = people
  const before = await CouncilItem.query().max('id as id').first()
  const created = await client
    .post('/council/items')
    .loginAs(staff)
    .withCsrfToken()
    .form({
      systemId: system.id,
      subject: `${system.name}について`,
      consultationArticles: '第16条第1項本文',
      contactSection: '係',
      contactPerson: '担当',
      contactExtension: '1234',
      includeSystem: 'true',
    })
    .redirects(0)
  const item = await CouncilItem.query()
    .where('id', '>', Number(before?.$extras.id ?? 0))
    .orderBy('id', 'desc')
    .first()
  if (!item)
    throw new Error(`council item not created (${created.status()} ${created.header('location')})`)
  await putOnAgenda(client, item, people)
  const today = DateTime.now().setZone('Asia/Tokyo').toISODate()!
  await client
    .post(`/council/items/${item.id}/decide`)
    .loginAs(officer)
    .withCsrfToken()
    .form({ outcome, decidedOn: today })
    .redirects(0)
  await item.refresh()
  if (item.outcome !== outcome)
    throw new Error(`council item ${item.id} not decided (status ${item.status})`)
  return item
}

/**
 * The 16-clause set of seed 000 as a later version might word it: its 再委託の禁止 clause
 * allows subcontracting with the ward's prior written approval instead of forbidding it
 * (issue 13). For scenes that need a contract with a subcontract; seed 000's own set
 * forbids subcontracting, so no subcontract can be saved under it.
 */
export async function termsAllowingSubcontracts() {
  const { SPECIAL_TERMS_16 } = await import('#database/demo/special_terms_data')
  const { default: CreateSpecialTermVersion } =
    await import('#actions/register/create_special_term_version')
  return new CreateSpecialTermVersion(AuditLogger.system).handle('standard-16-written-approval', {
    ...SPECIAL_TERMS_16,
    code: 'standard-16-written-approval',
    clauses: SPECIAL_TERMS_16.clauses.map((clause) =>
      clause.subcontractRule === 'forbidden'
        ? {
            ...clause,
            body: '乙は、あらかじめ甲の書面による承諾を得た場合を除き、個人情報を取り扱う業務を第三者に委託してはならない。',
            subcontractRule: 'prior_written_approval' as const,
          }
        : clause
    ),
  })
}

/** The council item form for a system with its own annex and one contract, as a department posts it. */
export const councilItemForm = (
  systemId: number,
  contractId: number,
  subject = '区民意見システムの再構築について'
) => ({
  systemId,
  subject,
  'consultationArticles': '第16条第1項本文（電子計算機による個人情報の処理開発、変更）',
  'reportArticles': '◇第14条第1項（業務委託）',
  'contactSection': '広聴係',
  'contactPerson': '梅澤',
  'contactExtension': '2152',
  'includeSystem': 'true',
  'contractIds[]': [contractId],
})
