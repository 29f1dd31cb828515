import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import CouncilMeeting from '#models/council_meeting'
import CouncilItem from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import SystemVersion from '#models/system_version'
import PersonalDataSystem from '#models/personal_data_system'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, openRecordingQueries, queriesDuring } from '#tests/helpers'
import {
  decideInCouncil,
  makeContract,
  makeItems,
  makeSystem,
  termsAllowingSubcontracts,
  councilItemForm,
  makeCouncilPeople,
  putOnAgenda,
} from '#tests/register_helpers'
import ApprovedState from '#services/register/approved_state'
import SystemQueries from '#services/register/system_queries'
import SystemSnapshots from '#services/register/system_snapshot'

/** 広聴担当課's staff and supervisor, and the privacy office. */
async function councilPeople() {
  const tree = await departmentTree()
  return { tree, ...(await makeCouncilPeople(tree.kocho.id)) }
}

/**
 * A system with what its snapshot holds: subject groups, data items, a contract
 * with special terms and items collected and provided, its subcontract, and a
 * contract whose contractor is not chosen yet.
 */
async function approvedSystem(client: Parameters<typeof decideInCouncil>[0]) {
  const { tree, staff, supervisor, officer } = await councilPeople()
  const system = await makeSystem(staff, tree.kocho.id, {
    name: '区民意見システム',
    subjectGroups: ['意見の提出者', '問い合わせ者'],
  })
  const [name, address, phone] = await makeItems(system.id, ['氏名', '住所', '電話番号'])
  const terms = await termsAllowingSubcontracts()
  const main = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const sub = await ContractorFactory.merge({ name: '再委託株式会社' }).create()
  const contract = await makeContract(staff, system, {
    title: '運用の委託',
    contractorId: main.id,
    specialTermSetId: terms.id,
    collectedItemIds: [name.id, phone.id],
    providedItemIds: [address.id],
  })
  await makeContract(
    staff,
    system,
    { title: '運用の再委託', contractorId: sub.id, providedItemIds: [name.id] },
    contract
  )
  await makeContract(staff, system, {
    title: '保守の委託',
    undecidedNote: '入札により決定した委託業者',
  })
  await decideInCouncil(client, system, { staff, supervisor, officer })
  return { staff, system, contract }
}

test.group('Register | the system page beside what the council approved', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the state the page builds from its own reads is the one a new version would record', async ({
    client,
    assert,
  }) => {
    const { system } = await approvedSystem(client)
    const fresh = await PersonalDataSystem.findOrFail(system.id)
    const { contracts } = await SystemQueries.forShow(fresh)
    const approval = await ApprovedState.compare(fresh, contracts)

    assert.deepEqual(SystemSnapshots.of(fresh, contracts), await SystemSnapshots.capture(system.id))
    assert.lengthOf(contracts, 3)
    assert.isTrue(approval?.difference.same)
    // The page still shows the contracts as a tree: two contracts, the first with its subcontract.
    assert.deepEqual(
      fresh.contracts.map((contract) => [
        contract.title,
        contract.subcontracts.map((subcontract) => subcontract.title),
      ]),
      [
        ['運用の委託', ['運用の再委託']],
        ['保守の委託', []],
      ]
    )
  })

  test('the page reads the system and its contracts once, and tells a changed subcontractor apart', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await approvedSystem(client)

    const unchanged = await openRecordingQueries(client, `/systems/${system.id}`, staff)
    unchanged.page.assertStatus(200)
    unchanged.page.assertTextIncludes('と同じです')
    unchanged.page.assertTextIncludes('運用の再委託')
    const reads = (table: string) =>
      unchanged.queries.filter((sql) =>
        new RegExp(`^select .* from [\x60"]?${table}[\x60"]? `).test(sql)
      )
    assert.lengthOf(reads('personal_data_systems'), 1)
    assert.lengthOf(reads('contracts'), 1)
    // The system's items, read once: its contracts list items of the same register.
    assert.lengthOf(reads('data_items'), 1)

    const other = await ContractorFactory.merge({ name: '別の再委託株式会社' }).create()
    await Contract.query().where('title', '運用の再委託').update({ contractorId: other.id })
    const changed = await client.get(`/systems/${system.id}`).loginAs(staff)
    changed.assertTextIncludes('と異なります')
    changed.assertTextIncludes('追加: 別の再委託株式会社')
    changed.assertTextIncludes('削除: 再委託株式会社')
  })
})

/** The text of the council dashboard between one heading and the next. */
function section(html: string, heading: string) {
  const start = html.indexOf(`<h2>${heading}</h2>`)
  return html.slice(start, html.indexOf('<h2>', start + 1))
}

test.group('Council dashboard | systems changed since the council approved them', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('lists the changed ones, with two reads of versions however many were approved; offers what the user may draft', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, officer } = await councilPeople()
    const names = ['住民票システム', '区民意見システム', '防災メールシステム']
    const systems = []
    for (const name of names) {
      const system = await makeSystem(staff, tree.kocho.id, { name })
      await decideInCouncil(client, system, { staff, supervisor, officer })
      systems.push(system)
    }
    // Two change after approval (each change is a new version); the third does not.
    for (const system of systems.slice(0, 2)) {
      await client
        .post(`/systems/${system.id}/items`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ name: 'マイナンバー' })
    }
    await makeSystem(staff, tree.kocho.id, { name: '廃止済みシステム', lifecycle: 'retired' })
    const otherStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    await makeSystem(otherStaff, tree.kikikanri.id, { name: '危機管理課のシステム' })

    const { page, queries } = await openRecordingQueries(client, '/council', officer)
    page.assertStatus(200)
    const changed = section(page.text(), '承認後に変更された登録業務')
    assert.include(changed, '住民票システム')
    assert.include(changed, '区民意見システム')
    assert.notInclude(changed, '防災メールシステム')
    const versionReads = queries.filter((sql) => /from [`"]?system_versions[`"]?/.test(sql))
    assert.lengthOf(versionReads, 2)
    // The items' and the systems' departments (mostly the same ones) in one read.
    assert.include(changed, '住民票システム</a>（広聴担当課）')
    const never = section(page.text(), '審議会に諮問・報告していない登録業務')
    assert.include(never, '危機管理課のシステム</a>（危機管理課）')
    const departmentReads = queries.filter((sql) =>
      /^select \* from [`"]?departments[`"]? where [`"]?id[`"]? in/.test(sql)
    )
    assert.lengthOf(departmentReads, 1)
    // Every meeting read once: the agendas are headed with their meetings from that read.
    const meetingReads = queries.filter((sql) => /from [`"]?council_meetings[`"]?/.test(sql))
    assert.lengthOf(meetingReads, 1)
    const meetings = await CouncilMeeting.all()
    assert.isAbove(meetings.length, 0)
    for (const meeting of meetings) assert.include(page.text(), meeting.label)

    // The systems offered for a new item: not retired, and a department's staff only its own.
    const offered = (html: string) =>
      html.slice(html.indexOf('name="systemId"'), html.indexOf('</select>'))
    const asOfficer = offered(page.text())
    assert.include(asOfficer, '危機管理課のシステム')
    assert.notInclude(asOfficer, '廃止済みシステム')
    const staffPage = await client.get('/council').loginAs(staff)
    const asStaff = offered(staffPage.text())
    assert.include(asStaff, '防災メールシステム')
    assert.notInclude(asStaff, '危機管理課のシステム')
    assert.notInclude(asStaff, '廃止済みシステム')
  })
})

test.group('Council decision | the register version it freezes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every annex of an approved item freezes its system’s latest version, read once however many contracts it has', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, officer } = await councilPeople()
    const system = await makeSystem(staff, tree.kocho.id, { name: '区民意見システム' })
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const contracts = []
    for (const title of ['運用の委託', '保守の委託', '印刷の委託']) {
      contracts.push(await makeContract(staff, system, { title, contractorId: contractor.id }))
    }
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...councilItemForm(system.id, contracts[0].id),
        'contractIds[]': contracts.map((contract) => contract.id),
      })
    const item = await CouncilItem.firstOrFail()
    await putOnAgenda(client, item, { staff, supervisor, officer })

    const today = DateTime.now().setZone('Asia/Tokyo').toISODate()!
    const queries = await queriesDuring(() =>
      client
        .post(`/council/items/${item.id}/decide`)
        .loginAs(officer)
        .withCsrfToken()
        .form({ outcome: 'approved', decidedOn: today })
    )

    const latest = await SystemVersion.query()
      .where('systemId', system.id)
      .orderBy('version', 'desc')
      .firstOrFail()
    const annexes = await CouncilItemAnnex.query().where('itemId', item.id)
    assert.lengthOf(annexes, 4)
    assert.deepEqual(
      annexes.map((annex) => annex.approvedVersionId),
      [latest.id, latest.id, latest.id, latest.id]
    )
    const latestReads = queries.filter((sql) =>
      /from [`"]?system_versions[`"]? where [`"]?system_id[`"]? = /.test(sql)
    )
    assert.lengthOf(latestReads, 1)
  })
})
