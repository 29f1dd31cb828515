import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import CouncilItem from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import CouncilMeeting from '#models/council_meeting'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { CouncilItemFactory } from '#database/factories/council_item_factory'
import { CouncilMeetingFactory } from '#database/factories/council_meeting_factory'
import { departmentTree, lastAudit } from '#tests/helpers'
import Clock, { FixedClock } from '#services/clock'
import { makeContract, makeItem, makeSystem, councilItemForm } from '#tests/register_helpers'
import { expectStatus, textOf } from '#tests/functional/council/council_support'

/** Decisions cannot predate the supervisor's approval (which is today in these tests). */
const today = () => DateTime.now().setZone('Asia/Tokyo').toISODate()!

async function setup() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '課長 次郎' })
    .create()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const system = await makeSystem(staff, tree.kocho.id, { name: '区民意見システム' })
  await makeItem(system.id, '氏名')
  const contract = await makeContract(staff, system, {
    contractorId: contractor.id,
    title: '再構築の委託',
  })
  return { tree, staff, supervisor, officer, contractor, system, contract }
}

test.group('Council items', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a department drafts an item; the supervisor approves before it can be submitted', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, system, contract, tree } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.query().preload('annexes').firstOrFail()
    assert.equal(item.status, 'draft')
    assert.deepEqual(item.basis, [
      {
        kind: 'consultation',
        articles: ['第16条第1項本文（電子計算機による個人情報の処理開発、変更）'],
      },
      // Kept as written: the ◇ typed in the form stays, none is added where none was typed.
      { kind: 'report', articles: ['◇第14条第1項（業務委託）'] },
    ])
    assert.sameDeepMembers(
      item.annexes.map((a) => a.contractId),
      [null, contract.id]
    )
    // The item page shows the articles as written too: no ◇ added, none doubled.
    const page = await textOf(client.get(`/council/items/${item.id}`).loginAs(staff))
    assert.include(page, '<p>◇第14条第1項（業務委託）</p>')
    assert.include(page, '<p>第16条第1項本文（電子計算機による個人情報の処理開発、変更）</p>')
    assert.notInclude(page, '◇◇')

    const early = await client
      .post(`/council/items/${item.id}/submit`)
      .loginAs(staff)
      .withCsrfToken()
      .redirects(0)
    early.assertFlashMessage('errors', { step: ['提出の前に上位者（課長等）の承認が必要です。'] })
    await item.refresh()
    assert.equal(item.status, 'draft')

    await expectStatus(
      client.post(`/council/items/${item.id}/approve`).loginAs(staff).withCsrfToken(),
      403
    )
    const otherSupervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kikikanri.id })
      .create()
    await expectStatus(
      client.post(`/council/items/${item.id}/approve`).loginAs(otherSupervisor).withCsrfToken(),
      403
    )

    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
    await item.refresh()
    assert.equal(item.status, 'submitted')
    assert.equal(item.approvedByUserId, supervisor.id)
    assert.isNotNull(await lastAudit('council_item.submit'))

    // A submitted item can no longer be edited by the department.
    await expectStatus(client.get(`/council/items/${item.id}/edit`).loginAs(staff), 403)
  })

  test('the privacy office schedules it on a meeting and records the decision, freezing the register state', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, officer, system, contract } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()

    await client
      .post('/council/meetings')
      .loginAs(officer)
      .withCsrfToken()
      .form({ fiscalYear: 2026, number: 5, heldOn: today() })
    const meeting = await CouncilMeeting.firstOrFail()
    await expectStatus(
      client
        .post(`/council/items/${item.id}/schedule`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ meetingId: meeting.id, documentNumber: '資料33' }),
      403
    )
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: meeting.id, documentNumber: '資料33' })
    await item.refresh()
    assert.equal(item.status, 'on_agenda')
    assert.equal(item.documentNumber, '資料33')

    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'approved', decidedOn: today(), conditions: '運用開始後に報告すること' })
    await item.refresh()
    assert.equal(item.status, 'decided')
    assert.equal(item.outcome, 'approved')
    assert.equal(item.frozenDocument?.header, '令和8年度 第5回 資料33')
    const annexes = await CouncilItemAnnex.query().where('itemId', item.id)
    assert.isTrue(annexes.every((annex) => annex.approvedVersionId !== null))

    const page = await client.get(`/systems/${system.id}`).loginAs(staff)
    page.assertTextIncludes('現在の登録内容は、承認された版')
    page.assertTextIncludes('と同じです')
  })

  test('after approval the system page shows how the register differs, and a change item can be drafted', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, officer, system, contract } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
    const meeting = await CouncilMeetingFactory.merge({ number: 1 }).create()
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: meeting.id, documentNumber: '資料1' })
    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'approved', decidedOn: today() })

    // The register changes afterwards: a new data item, a new medium, a new contractor.
    await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: 'マイナンバー' })
    const other = await ContractorFactory.merge({ name: '新規システム株式会社' }).create()
    await makeContract(staff, system, { contractorId: other.id, title: '保守の委託' })

    const page = await client.get(`/systems/${system.id}`).loginAs(staff)
    page.assertTextIncludes('現在の登録内容は、承認された版')
    page.assertTextIncludes('と異なります')
    page.assertTextIncludes('追加: マイナンバー')
    page.assertTextIncludes('追加: 新規システム株式会社')
    page.assertTextIncludes('変更の諮問・報告事項を作成')

    const dashboard = await client.get('/council').loginAs(officer)
    const changedSection = dashboard
      .text()
      .slice(dashboard.text().indexOf('承認後に変更された登録業務'))
    assert.include(changedSection.slice(0, 1000), '区民意見システム')

    const draft = await client
      .get(`/council/items/create?systemId=${system.id}&change=1`)
      .loginAs(staff)
    draft.assertStatus(200)
    draft.assertTextIncludes('区民意見システムの変更について')

    // The decided document stays as it was approved.
    await item.refresh()
    assert.notInclude(JSON.stringify(item.frozenDocument), 'マイナンバー')
  })

  test('継続審議 keeps the item on the agenda and freezes nothing', async ({ client, assert }) => {
    const { staff, supervisor, officer, system, contract } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
    const meeting = await CouncilMeetingFactory.merge({ number: 2 }).create()
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: meeting.id, documentNumber: '資料2' })
    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'continued', decidedOn: today() })
    await item.refresh()
    assert.equal(item.status, 'on_agenda')
    assert.isNull(item.frozenDocument)
    const annexes = await CouncilItemAnnex.query().where('itemId', item.id)
    assert.isTrue(annexes.every((a) => a.approvedVersionId === null))
  })

  test('an item needs a legal basis and at least one annex of the same system', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    const noBasis = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...councilItemForm(system.id, contract.id),
        consultationArticles: '',
        reportArticles: '',
      })
      .redirects(0)
    noBasis.assertFlashMessage('errors', {
      consultationArticles: ['条例の根拠を1つ以上入力してください。'],
    })

    const otherSystem = await makeSystem(staff, system.departmentId, { name: '別の業務' })
    const foreign = await makeContract(staff, otherSystem, { selectionMethod: 'nyusatsu' })
    const wrongAnnex = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...councilItemForm(system.id, foreign.id) })
      .redirects(0)
    wrongAnnex.assertFlashMessage('errors', {
      contractIds: ['この登録業務の委託から選択してください。'],
    })
    assert.lengthOf(await CouncilItem.all(), 0)
  })

  test('staff cannot draft items for another department, and see only their own', async ({
    client,
    assert,
  }) => {
    const { tree, officer, system } = await setup()
    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    await expectStatus(
      client.get(`/council/items/create?systemId=${system.id}`).loginAs(outsider),
      403
    )
    const item = await CouncilItemFactory.merge({
      departmentId: system.departmentId,
      subject: '広聴の件',
    }).create()
    await expectStatus(client.get(`/council/items/${item.id}`).loginAs(outsider), 403)
    await expectStatus(client.get(`/council/items/${item.id}/document.pdf`).loginAs(outsider), 403)
    assert.notInclude(await textOf(client.get('/council').loginAs(outsider)), '広聴の件')
    const officerDashboard = await client.get('/council').loginAs(officer)
    officerDashboard.assertTextIncludes('広聴の件')
  })

  test('the dashboard lists systems never submitted to the council', async ({ client, assert }) => {
    const { officer, staff, tree } = await setup()
    await makeSystem(staff, tree.kocho.id, { name: '未諮問の業務' })
    const dashboard = await client.get('/council').loginAs(officer)
    const section = dashboard
      .text()
      .slice(dashboard.text().indexOf('審議会に諮問・報告していない登録業務'))
    assert.include(section, '未諮問の業務')
    assert.include(section, '区民意見システム')
  })

  test('a JSON client refused by the council rules gets a 422 with the Japanese message, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    const refused = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({
        ...councilItemForm(system.id, contract.id),
        consultationArticles: '',
        reportArticles: '',
      })
    refused.assertStatus(422)
    refused.assertBody({
      errors: [
        {
          field: 'consultationArticles',
          message: '条例の根拠を1つ以上入力してください。',
          code: 'council.items.basis_required',
        },
      ],
    })
    assert.lengthOf(await CouncilItem.all(), 0)

    // A step the item's state does not allow: the same body, the item unchanged.
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(councilItemForm(system.id, contract.id))
    const item = await CouncilItem.firstOrFail()
    const early = await client
      .post(`/council/items/${item.id}/submit`)
      .loginAs(staff)
      .withCsrfToken()
      .header('accept', 'application/json')
    early.assertStatus(422)
    early.assertBody({
      errors: [
        {
          field: 'step',
          message: '提出の前に上位者（課長等）の承認が必要です。',
          code: 'council.items.needs_approval',
        },
      ],
    })
    await item.refresh()
    assert.equal(item.status, 'draft')
    assert.isNull(item.submittedAt)
  })

  test('the approval and submission times come from the container clock', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, system, contract } = await setup()
    const instant = DateTime.fromISO('2026-05-11T10:30:00', { zone: 'Asia/Tokyo' })
    app.container.swap(Clock, () => new FixedClock(instant))
    try {
      await client
        .post('/council/items')
        .loginAs(staff)
        .withCsrfToken()
        .form(councilItemForm(system.id, contract.id))
      const item = await CouncilItem.firstOrFail()
      await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
      await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
      await item.refresh()
      assert.equal(item.status, 'submitted')
      assert.equal(item.approvedAt?.toMillis(), instant.toMillis())
      assert.equal(item.submittedAt?.toMillis(), instant.toMillis())
    } finally {
      app.container.restore(Clock)
    }
  })
})
