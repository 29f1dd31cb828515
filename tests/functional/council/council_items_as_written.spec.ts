import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import CouncilItem from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import CouncilMeeting from '#models/council_meeting'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { CouncilMeetingFactory } from '#database/factories/council_meeting_factory'
import {
  departmentTree,
  bracketedFields,
  openRecordingQueries,
  withQueries,
  writesTo,
} from '#tests/helpers'
import { makeContract, makeItem, makeSystem } from '#tests/register_helpers'
import { expectStatus, textOf } from '#tests/functional/council/council_support'

/**
 * Council items as the documents write them (issue 12, point 6): per-annex 件名, caption lines,
 * 保有課 and row overrides kept across saves; 担当部課 as written; starting an item from the
 * system page and from /council; who acts next; meetings on /council at once; decision dates.
 */

const today = () => DateTime.now().setZone('Asia/Tokyo').toISODate()!
const daysFromToday = (days: number) =>
  DateTime.now().setZone('Asia/Tokyo').plus({ days }).toISODate()!

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
    title: 'コールセンター業務委託',
  })
  const sub = await makeContract(
    staff,
    system,
    { title: 'コールセンター業務の再委託', undecidedNote: '委託先が選定する' },
    contract
  )
  return { tree, staff, supervisor, officer, contractor, system, contract, sub }
}

const CAPTIONS =
  '◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告\n◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告'

function itemForm(
  systemId: number,
  contractId: number,
  subId: number,
  extra: Record<string, unknown> = {}
) {
  return bracketedFields(
    {
      systemId,
      subject: 'コールセンター業務委託について',
      priorReportArticles: '第14条第1項（個人情報の収集及び個人情報の電子計算機処理の委託）',
      contactPerson: '梅澤',
      contactExtension: '2152',
      departmentLabel: '区長室区政情報課',
      includeSystem: 'true',
      contractIds: [contractId, subId],
      annexes: [
        {
          key: 'system',
          subject: '区民意見システムの再構築について',
          captions: '◇電子計算機による個人情報の処理（第16条第1項）・・・諮問',
          holderLabel: '区長室区政情報課',
          overrides: {
            change_reason: { rowLabel: '開発の理由' },
            change_schedule: { hidden: 'true' },
          },
        },
        {
          key: `contract:${contractId}`,
          subject: '',
          captions: `${CAPTIONS}\n\n`,
          holderLabel: '危機管理課',
          overrides: {
            reason: { rowLabel: '委託の理由' },
            media: { hidden: 'true' },
            system_name: { rowLabel: '', hidden: '' },
            unknown_row: { rowLabel: 'どこにも印刷されない' },
          },
        },
        {
          key: `contract:${subId}`,
          overrides: {
            subcontract_approval: { hidden: 'true' },
            reason: { rowLabel: '再委託する理由' },
          },
        },
      ],
      ...extra,
    },
    ''
  )
}

const annexesOf = (itemId: number) =>
  CouncilItemAnnex.query().where('itemId', itemId).orderBy('sortOrder')

test.group('Council items as written: annex wording', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each annex keeps its 件名, caption lines, 保有課 and row overrides, and they survive a second save', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract, sub } = await setup()
    const { result: created, queries: creating } = await withQueries(() =>
      client
        .post('/council/items')
        .loginAs(staff)
        .withCsrfToken()
        .form(itemForm(system.id, contract.id, sub.id))
        .redirects(0)
    )
    created.assertStatus(302)
    // The three annexes in one INSERT.
    assert.deepEqual(writesTo(creating, 'council_item_annexes'), {
      insert: 1,
      update: 0,
      delete: 0,
    })
    const item = await CouncilItem.firstOrFail()
    assert.equal(item.departmentLabel, '区長室区政情報課')

    const [systemAnnex, contractAnnex, subAnnex] = await annexesOf(item.id)
    assert.equal(systemAnnex.key, 'system')
    assert.equal(systemAnnex.subject, '区民意見システムの再構築について')
    assert.equal(systemAnnex.caption, '◇電子計算機による個人情報の処理（第16条第1項）・・・諮問')
    assert.equal(systemAnnex.holderLabel, '区長室区政情報課')
    assert.deepEqual(systemAnnex.rowOverrides, {
      change_reason: { label: '開発の理由' },
      change_schedule: { hidden: true },
    })

    // Empty 件名 = the contract's title; blank caption lines dropped; empty and unknown rows not stored.
    assert.equal(contractAnnex.contractId, contract.id)
    assert.isNull(contractAnnex.subject)
    assert.equal(contractAnnex.caption, CAPTIONS)
    assert.deepEqual(contractAnnex.captionLines, CAPTIONS.split('\n'))
    assert.equal(contractAnnex.holderLabel, '危機管理課')
    assert.deepEqual(contractAnnex.rowOverrides, {
      reason: { label: '委託の理由' },
      media: { hidden: true },
    })

    // The subcontract annex uses the subcontract template's rows.
    assert.equal(subAnnex.contractId, sub.id)
    assert.deepEqual(subAnnex.rowOverrides, {
      subcontract_approval: { hidden: true },
      reason: { label: '再委託する理由' },
    })

    // The item page shows the wording; the edit form brings it back.
    const page = await client.get(`/council/items/${item.id}`).loginAs(staff)
    page.assertTextIncludes('区長室区政情報課')
    page.assertTextIncludes('◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告')
    page.assertTextIncludes('コールセンター業務委託') // the contract annex's 件名 by default
    page.assertTextIncludes('委託の理由')
    const { page: edit, queries } = await openRecordingQueries(
      client,
      `/council/items/${item.id}/edit`,
      staff
    )
    edit.assertStatus(200)
    const html = edit.text()
    // The department and its parents are named from the organisation read once for the request,
    // not read one by one.
    assert.deepEqual(
      queries.filter((sql) => /from [`"]?departments[`"]? where [`"]?id[`"]? = /.test(sql)),
      []
    )
    assert.include(html, 'value="区長室区政情報課"')
    assert.include(html, 'value="危機管理課"')
    assert.include(html, '◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告')
    assert.include(html, 'value="委託の理由"')
    assert.include(html, 'value="再委託する理由"')
    assert.match(
      html,
      new RegExp(
        `name="annexes\\[1\\]\\[overrides\\]\\[media\\]\\[hidden\\]" value="true"\\s+checked`
      )
    )
    assert.include(html, '<option value="区長室広聴担当課">') // organisation names offered
    assert.include(html, 'list="organisation-names"')
    assert.include(html, '再委託先に行わせる情報保護対策') // the subcontract template's rows

    // A second save (the item's subject changes, the wording is sent back as the form shows it).
    const again = itemForm(system.id, contract.id, sub.id, {
      subject: 'コールセンター業務委託の変更について',
    })
    again['annexes[1][subject]'] = 'コールセンター業務の委託について'
    again['annexes[1][overrides][media][hidden]'] = ''
    const { queries: saving } = await withQueries(() =>
      client.put(`/council/items/${item.id}`).loginAs(staff).withCsrfToken().form(again)
    )
    // Only the contract annex's wording changed: one UPDATE, nothing inserted or deleted.
    assert.deepEqual(writesTo(saving, 'council_item_annexes'), {
      insert: 0,
      update: 1,
      delete: 0,
    })
    const [systemAfter, contractAfter, subAfter] = await annexesOf(item.id)
    assert.deepEqual(
      [systemAfter.id, contractAfter.id, subAfter.id],
      [systemAnnex.id, contractAnnex.id, subAnnex.id]
    )
    assert.equal(systemAfter.subject, '区民意見システムの再構築について')
    assert.equal(contractAfter.subject, 'コールセンター業務の委託について')
    assert.equal(contractAfter.caption, CAPTIONS)
    assert.equal(contractAfter.holderLabel, '危機管理課')
    assert.deepEqual(contractAfter.rowOverrides, { reason: { label: '委託の理由' } })
    assert.deepEqual(subAfter.rowOverrides, {
      subcontract_approval: { hidden: true },
      reason: { label: '再委託する理由' },
    })
    await item.refresh()
    assert.equal(item.subject, 'コールセンター業務委託の変更について')

    // Dropping the subcontract removes only its annex; the others keep their rows and wording.
    const withoutSub = itemForm(system.id, contract.id, sub.id)
    withoutSub['contractIds[]'] = [String(contract.id)]
    const { queries: dropping } = await withQueries(() =>
      client.put(`/council/items/${item.id}`).loginAs(staff).withCsrfToken().form(withoutSub)
    )
    // The contract annex's wording back as first written (one UPDATE), the subcontract's gone.
    assert.deepEqual(writesTo(dropping, 'council_item_annexes'), {
      insert: 0,
      update: 1,
      delete: 1,
    })
    const remaining = await annexesOf(item.id)
    assert.deepEqual(
      remaining.map((annex) => annex.id),
      [systemAnnex.id, contractAnnex.id]
    )
    assert.equal(remaining[1].holderLabel, '危機管理課')
  })

  test('empty wording means the defaults: no 件名, caption, 保有課 or overrides stored', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    const form = bracketedFields(
      {
        systemId: system.id,
        subject: '件名',
        reportArticles: '第14条第1項',
        includeSystem: 'true',
        contractIds: [contract.id],
      },
      ''
    )
    await client.post('/council/items').loginAs(staff).withCsrfToken().form(form)
    const item = await CouncilItem.firstOrFail()
    assert.isNull(item.departmentLabel)
    const annexes = await annexesOf(item.id)
    assert.lengthOf(annexes, 2)
    for (const annex of annexes) {
      assert.isNull(annex.subject)
      assert.isNull(annex.caption)
      assert.isNull(annex.holderLabel)
      assert.deepEqual(annex.rowOverrides, {})
    }
    const edit = await client.get(`/council/items/${item.id}/edit`).loginAs(staff)
    edit.assertTextIncludes('空欄のときは「区長室広聴担当課」') // 担当部課 default
    edit.assertTextIncludes('空欄のときは「広聴担当課」') // 保有課 default
    edit.assertTextIncludes('空欄のときは「コールセンター業務委託」') // contract annex 件名 default
  })

  test('list fields sent as an object or a single value are read as lists; bad input returns to the form in Japanese, kept', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract, sub } = await setup()
    // contractIds as one value; annexes with an index past qs's array limit (an object) and a stray value.
    const body = new URLSearchParams({
      'systemId': String(system.id),
      'subject': '件名A',
      'reportArticles': '第14条第1項',
      'includeSystem': 'true',
      'contractIds': String(contract.id),
      'annexes[6000][key]': `contract:${contract.id}`,
      'annexes[6000][holderLabel]': '危機管理課',
      'annexes[6000][overrides]': 'not an object',
      'annexes[7000][key]': 'system',
      'annexes[7000][captions]': '◇１．見出し',
      'annexes[7000][overrides][reason]': 'stray',
    }).toString()
    const saved = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(body)
      .redirects(0)
    saved.assertStatus(302)
    const item = await CouncilItem.firstOrFail()
    const annexes = await annexesOf(item.id)
    assert.deepEqual(
      annexes.map((annex) => annex.contractId),
      [null, contract.id]
    )
    assert.equal(annexes[0].caption, '◇１．見出し')
    assert.equal(annexes[1].holderLabel, '危機管理課')

    const stray = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(
        `systemId=${system.id}&subject=${encodeURIComponent('件名B')}&reportArticles=x&includeSystem=true&annexes=garbage`
      )
      .redirects(0)
    stray.assertStatus(302)
    assert.lengthOf(await CouncilItem.all(), 2)

    // A single annex sent without an index is that annex.
    const single = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(
        `systemId=${system.id}&subject=C&reportArticles=x&includeSystem=true&annexes[key]=system&annexes[holderLabel]=${encodeURIComponent('区政情報課')}`
      )
      .redirects(0)
    single.assertStatus(302)
    const singleItem = await CouncilItem.query().where('subject', 'C').firstOrFail()
    const [singleAnnex] = await annexesOf(singleItem.id)
    assert.equal(singleAnnex.holderLabel, '区政情報課')
    await singleItem.delete()

    const tooLong = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(
        itemForm(system.id, contract.id, sub.id, {
          subject: '入力が残る件名',
          departmentLabel: '課'.repeat(201),
        })
      )
      .redirects(0)
    tooLong.assertStatus(302)
    tooLong.assertFlashMessage('errors', {
      departmentLabel: ['担当部課（資料の表記）は200文字以内で入力してください'],
    })
    const flashed = tooLong.flashMessages() as Record<string, any>
    assert.equal(flashed.subject, '入力が残る件名')
    assert.equal(flashed.annexes[1].captions, `${CAPTIONS}\n\n`)

    const longHolder = itemForm(system.id, contract.id, sub.id)
    longHolder['annexes[0][holderLabel]'] = '課'.repeat(201)
    const holderError = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(longHolder)
      .redirects(0)
    holderError.assertFlashMessage('errors', {
      'annexes.0.holderLabel': ['保有課(担当課)（資料の表記）は200文字以内で入力してください'],
    })
    assert.lengthOf(await CouncilItem.all(), 2)

    // Back on the form, what was typed is there again, with the message next to its field.
    const formAgain = await client
      .get(`/council/items/create?systemId=${system.id}`)
      .loginAs(staff)
      .withFlashMessages({
        systemId: String(system.id),
        subject: '入力が残る件名',
        departmentLabel: '区長室区政情報課',
        contractIds: [String(sub.id)],
        annexes: [
          { key: 'system', holderLabel: '課'.repeat(201), captions: '◇入力した見出し' },
          { key: `contract:${contract.id}`, overrides: { reason: { rowLabel: '入力した表記' } } },
          { key: `contract:${sub.id}`, overrides: { media: { hidden: 'true' } } },
        ],
        errors: {
          'annexes.0.holderLabel': ['保有課(担当課)（資料の表記）は200文字以内で入力してください'],
        },
      })
    const html = formAgain.text()
    assert.include(html, 'value="入力が残る件名"')
    assert.include(html, 'value="区長室区政情報課"')
    assert.include(html, '◇入力した見出し')
    assert.include(html, `value="${'課'.repeat(201)}"`)
    assert.include(html, '保有課(担当課)（資料の表記）は200文字以内で入力してください')
    assert.include(html, 'value="入力した表記"')
    assert.notMatch(html, /name="includeSystem" value="true"\s+checked/)
    assert.notMatch(html, new RegExp(`name="contractIds\\[\\]" value="${contract.id}"\\s+checked`))
    assert.match(html, new RegExp(`name="contractIds\\[\\]" value="${sub.id}"\\s+checked`))
    assert.match(html, /name="annexes\[2\]\[overrides\]\[media\]\[hidden\]" value="true"\s+checked/)
  })
})

test.group('Council items as written: starting, next step, meetings, decisions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an item can be started from the system page and from /council', async ({
    client,
    assert,
  }) => {
    const { staff, system, tree } = await setup()
    const systemPage = await client.get(`/systems/${system.id}`).loginAs(staff)
    systemPage.assertTextIncludes('この登録業務の諮問・報告事項を作成')
    assert.include(systemPage.text(), `/council/items/create?systemId=${system.id}"`)

    const dashboard = await client.get('/council').loginAs(staff)
    const start = dashboard.text().slice(dashboard.text().indexOf('id="start-item-heading"'))
    assert.include(start, `<option value="${system.id}"`)
    assert.include(start, '区民意見システム（広聴担当課）')

    const form = await client.get(`/council/items/create?systemId=${system.id}`).loginAs(staff)
    form.assertStatus(200)
    form.assertTextIncludes('諮問・報告事項を作成')
    assert.include(form.text(), `name="systemId" value="${system.id}"`)

    // Nothing chosen: back to /council with the message on the choice.
    const none = await client.get('/council/items/create?systemId=').loginAs(staff).redirects(0)
    none.assertStatus(302)
    none.assertHeader('location', '/council')
    none.assertFlashMessage('errors', {
      systemId: ['諮問・報告事項を作成する登録業務を選択してください。'],
    })

    // Another department's staff are not offered the system and cannot start one for it.
    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const theirs = await client.get('/council').loginAs(outsider)
    assert.notInclude(theirs.text(), `<option value="${system.id}"`)
    assert.notInclude(
      await textOf(client.get(`/systems/${system.id}`).loginAs(outsider)),
      '諮問・報告事項を作成'
    )
    await expectStatus(
      client.get(`/council/items/create?systemId=${system.id}`).loginAs(outsider),
      403
    )
  })

  test('denials: another department cannot draft, edit, approve or store; a contractor cannot reach council items', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract, sub, tree, contractor } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id, sub.id))
    const item = await CouncilItem.firstOrFail()

    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    await expectStatus(
      client
        .post('/council/items')
        .loginAs(outsider)
        .withCsrfToken()
        .form(itemForm(system.id, contract.id, sub.id)),
      403
    )
    await expectStatus(client.get(`/council/items/${item.id}/edit`).loginAs(outsider), 403)
    await expectStatus(
      client
        .put(`/council/items/${item.id}`)
        .loginAs(outsider)
        .withCsrfToken()
        .form(itemForm(system.id, contract.id, sub.id)),
      403
    )
    await expectStatus(client.get(`/council/items/${item.id}`).loginAs(outsider), 403)
    const outsideSupervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kikikanri.id })
      .create()
    await expectStatus(
      client.post(`/council/items/${item.id}/approve`).loginAs(outsideSupervisor).withCsrfToken(),
      403
    )

    const contractorUser = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id, departmentId: null })
      .create()
    await expectStatus(client.get('/council').loginAs(contractorUser), 403)
    await expectStatus(
      client.get(`/council/items/create?systemId=${system.id}`).loginAs(contractorUser),
      403
    )
    await expectStatus(client.get(`/council/items/${item.id}`).loginAs(contractorUser), 403)
    await expectStatus(
      client
        .post('/council/items')
        .loginAs(contractorUser)
        .withCsrfToken()
        .form(itemForm(system.id, contract.id, sub.id)),
      403
    )
    await expectStatus(
      client
        .post('/council/meetings')
        .loginAs(contractorUser)
        .withCsrfToken()
        .form({ fiscalYear: 2026, number: 9 }),
      403
    )
    await expectStatus(
      client
        .post('/council/meetings')
        .loginAs(staff)
        .withCsrfToken()
        .form({ fiscalYear: 2026, number: 9 }),
      403
    )
    assert.lengthOf(await CouncilItem.all(), 1)
    assert.lengthOf(await CouncilMeeting.all(), 0)
  })

  test('the item page says who acts next, and the status changes on approval', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, officer, system, contract, sub } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id, sub.id))
    const item = await CouncilItem.firstOrFail()
    const page = async () => await textOf(client.get(`/council/items/${item.id}`).loginAs(staff))

    let text = await page()
    assert.include(text, '上位者の承認待ち：広聴担当課長')
    assert.include(text, '承認できる人：課長 次郎')
    assert.include(text, '作成中')

    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await item.refresh()
    assert.equal(item.status, 'approved')
    text = await page()
    assert.include(text, '上位者承認済み')
    assert.include(text, '審議会事務局への提出待ち：広聴担当課')
    assert.include(text, '審議会事務局へ提出する') // the submit button is offered
    assert.include(await textOf(client.get('/council').loginAs(officer)), '上位者承認済み')

    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
    assert.include(await page(), '審議会への提出待ち：個人情報保護担当')

    const undated = await CouncilMeetingFactory.merge({ number: 7 }).create()
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: undated.id, documentNumber: '資料7' })
    assert.include(await page(), '審議会の日程待ち：個人情報保護担当')

    undated.heldOn = DateTime.fromISO(daysFromToday(10))
    await undated.save()
    assert.include(await page(), '審議会の開催待ち：令和8年度 第7回')

    undated.heldOn = DateTime.fromISO(today())
    await undated.save()
    assert.include(await page(), '審議結果の記録待ち：個人情報保護担当')

    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'continued', decidedOn: today() })
    assert.include(await page(), '継続審議：次回の会議への登録待ち：個人情報保護担当')

    const next = await CouncilMeetingFactory.merge({
      number: 8,
      heldOn: DateTime.fromISO(daysFromToday(30)),
    }).create()
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: next.id, documentNumber: '資料8' })
    assert.include(await page(), '審議会の開催待ち：令和8年度 第8回')
    next.heldOn = DateTime.fromISO(today())
    await next.save()
    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'approved', decidedOn: today() })
    text = await page()
    assert.include(text, '決定済み')
    assert.include(text, '審議済み（次の対応はありません）')
  })

  test('an edit after approval returns the item to 作成中 and needs approving again', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, system, contract, sub } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id, sub.id))
    const item = await CouncilItem.firstOrFail()
    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await expectStatus(client.get(`/council/items/${item.id}/edit`).loginAs(staff), 200)
    await client
      .put(`/council/items/${item.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id, sub.id, { subject: '直した件名' }))
    await item.refresh()
    assert.equal(item.status, 'draft')
    assert.isNull(item.approvedAt)
    const early = await client
      .post(`/council/items/${item.id}/submit`)
      .loginAs(staff)
      .withCsrfToken()
      .redirects(0)
    early.assertFlashMessage('errors', { step: ['提出の前に上位者（課長等）の承認が必要です。'] })
  })

  test('a new meeting shows on /council at once, whatever its date', async ({ client, assert }) => {
    const { officer, staff } = await setup()
    const past = DateTime.now().setZone('Asia/Tokyo').minus({ months: 2 })
    const stored = await client
      .post('/council/meetings')
      .loginAs(officer)
      .withCsrfToken()
      .form({ fiscalYear: 2026, number: 3, heldOn: past.toISODate()!, notes: '臨時会' })
      .redirects(0)
    stored.assertHeader('location', '/council')
    stored.assertFlashMessage('success', '会議を追加しました。')
    await client
      .post('/council/meetings')
      .loginAs(officer)
      .withCsrfToken()
      .form({ fiscalYear: 2026, number: 4, heldOn: daysFromToday(20) })
    await client
      .post('/council/meetings')
      .loginAs(officer)
      .withCsrfToken()
      .form({ fiscalYear: 2007, number: 7, heldOn: '2007-12-20' })

    const dashboard = await textOf(client.get('/council').loginAs(officer))
    const meetings = dashboard.slice(dashboard.indexOf('会議の一覧'))
    assert.include(meetings, '令和8年度 第3回')
    assert.include(meetings, '臨時会')
    assert.include(meetings, '令和8年度 第4回')
    assert.include(meetings, '平成19年度 第7回（平成19年12月20日）')
    // Newest first.
    assert.isBelow(meetings.indexOf('令和8年度 第4回'), meetings.indexOf('令和8年度 第3回'))
    assert.isBelow(meetings.indexOf('令和8年度 第3回'), meetings.indexOf('平成19年度 第7回'))
    // The coming meeting has its (empty) agenda; department staff see the meetings too.
    assert.include(dashboard, '令和8年度 第4回')
    assert.include(dashboard.slice(0, dashboard.indexOf('会議の一覧')), '令和8年度 第4回')
    assert.include(await textOf(client.get('/council').loginAs(staff)), '令和8年度 第3回')
  })

  test('a decision date before the approval or the meeting is refused on the form, input kept', async ({
    client,
    assert,
  }) => {
    const { staff, supervisor, officer, system, contract, sub } = await setup()
    await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id, sub.id))
    const item = await CouncilItem.firstOrFail()
    await client.post(`/council/items/${item.id}/approve`).loginAs(supervisor).withCsrfToken()
    await client.post(`/council/items/${item.id}/submit`).loginAs(staff).withCsrfToken()
    const meeting = await CouncilMeetingFactory.merge({ number: 5 }).create()
    await client
      .post(`/council/items/${item.id}/schedule`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ meetingId: meeting.id, documentNumber: '資料5' })

    const approvedOn = DateTime.now().setZone('Asia/Tokyo')
    const eraToday = `令和${approvedOn.year - 2018}年${approvedOn.month}月${approvedOn.day}日`
    const early = await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        outcome: 'approved',
        decidedOn: daysFromToday(-1),
        conditions: '運用開始後に報告すること',
      })
      .redirects(0)
    early.assertStatus(302)
    early.assertFlashMessage('errors', {
      decidedOn: [`決定日は上位者の承認日（${eraToday}）以降の日付を入力してください。`],
    })
    const flashed = early.flashMessages() as Record<string, any>
    assert.equal(flashed.conditions, '運用開始後に報告すること')
    await item.refresh()
    assert.equal(item.status, 'on_agenda')
    assert.isNull(item.outcome)

    // The message shows under the date field of the decision form, with what was typed.
    const page = await client
      .get(`/council/items/${item.id}`)
      .loginAs(officer)
      .withFlashMessages({
        errors: { decidedOn: ['決定日は上位者の承認日以降の日付を入力してください。'] },
        decidedOn: daysFromToday(-1),
        conditions: '運用開始後に報告すること',
      })
    const html = page.text()
    assert.include(html, 'id="field-decidedOn-error"')
    assert.include(html, `value="${daysFromToday(-1)}"`)
    assert.include(html, '運用開始後に報告すること')

    // Not before the meeting either, when the meeting has a date.
    meeting.heldOn = DateTime.fromISO(daysFromToday(3))
    await meeting.save()
    const beforeMeeting = await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'approved', decidedOn: daysFromToday(1) })
      .redirects(0)
    const held = meeting.heldOn
    beforeMeeting.assertFlashMessage('errors', {
      decidedOn: [
        `決定日は会議の開催日（令和${held.year - 2018}年${held.month}月${held.day}日）以降の日付を入力してください。`,
      ],
    })

    await client
      .post(`/council/items/${item.id}/decide`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ outcome: 'approved', decidedOn: daysFromToday(3) })
    await item.refresh()
    assert.equal(item.status, 'decided')
    assert.equal(item.decidedOn?.toISODate(), daysFromToday(3))
  })
})
