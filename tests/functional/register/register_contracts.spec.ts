import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit, openRecordingQueries } from '#tests/helpers'
import { makeContract, makeItem, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

test.group('Register: contracts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a contract with an undecided contractor needs what to print in its place or the selection method', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const base = {
      title: '再構築の委託',
      reason: '専門的、技術的ノウハウが必要であるため',
      periodType: 'fixed',
    }

    const refused = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form(base)
      .redirects(0)
    // Refused: the form comes back at once (422) with the message on the field.
    refused.assertStatus(422)
    refused.assertTextIncludes(
      '委託先が未定のときは、委託先欄に記載する文言（例：入札により決定した委託業者）を入力するか、選定方法を選択してください。'
    )
    refused.assertTextIncludes('value="再構築の委託"')
    assert.lengthOf(await Contract.all(), 0)

    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        selectionMethod: 'tokumei',
        undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
      })
    const contract = await Contract.findByOrFail('title', '再構築の委託')
    assert.isNull(contract.contractorId)
    assert.equal(contract.status, 'draft')
    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes('未定(6月に特命随契で事業者を指定する予定)')
  })

  test('the contract page offers its department the edit link, asking without reading the system again', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const contract = await makeContract(staff, system, {
      title: '窓口案内業務委託',
      undecidedNote: '入札により選定予定',
    })

    const { page, queries } = await openRecordingQueries(client, `/contracts/${contract.id}`, staff)
    page.assertStatus(200)
    page.assertTextIncludes(`href="/contracts/${contract.id}/edit"`)
    // The system itself (not the subqueries of the scope checks): read once, with the contract.
    const systemReads = queries.filter((sql) =>
      /^select \*\s+from\s+["`]?personal_data_systems["`]?/i.test(sql)
    )
    assert.lengthOf(systemReads, 1, systemReads.join('\n'))

    const other = await client.get(`/contracts/${contract.id}/edit`).loginAs(kikiStaff)
    other.assertStatus(403)
  })

  test('records sub-tasks, period, media, measures and the items collected and provided', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const name = await makeItem(system.id, '氏名')
    const phone = await makeItem(system.id, '電話番号')
    const opinion = await makeItem(system.id, '問合せ内容')

    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        'title': 'コールセンター業務委託について',
        'contractorId': contractor.id,
        'reason': 'コールセンターで解決できない問合せにもきめ細かく対応するため',
        'tasks':
          '下記の機能を備えたシステムを開発する。\n【システムの機能】\n○意見等の入力\n\nデータベースの移行及び動作の検証',
        'periodType': 'renewed_yearly',
        'startsOn': '2008-03-03',
        'media[]': ['electronic', 'usb'],
        'collectedItemIds[]': [name.id, phone.id],
        'providedItemIds[]': [opinion.id],
        'wardMeasuresOperational':
          '契約変更にあたり、別紙「特記事項」を付す。\n収集した個人情報は、収集後1年をもって履歴を削除する。',
        'wardMeasuresSystem': 'ユーザーＩＤ及びパスワードによる認証を行う。',
        'contractorMeasuresOperational': '取扱責任者及び取扱うオペレーターをあらかじめ指定する。',
        'contractorMeasuresSystem': '専用回線を経由する端末を使用する。',
      })
    const contract = await Contract.query()
      .where('title', 'コールセンター業務委託について')
      .preload('itemLinks')
      .firstOrFail()
    assert.equal(contract.status, 'active')
    assert.deepEqual(contract.tasks, [
      '下記の機能を備えたシステムを開発する。\n【システムの機能】\n○意見等の入力',
      'データベースの移行及び動作の検証',
    ])
    assert.deepEqual(contract.media, ['electronic', 'usb'])
    assert.equal(contract.periodType, 'renewed_yearly')
    assert.deepEqual(contract.wardMeasuresOperational, [
      '契約変更にあたり、別紙「特記事項」を付す。',
      '収集した個人情報は、収集後1年をもって履歴を削除する。',
    ])
    assert.deepEqual(contract.wardMeasuresSystem, ['ユーザーＩＤ及びパスワードによる認証を行う。'])
    assert.sameDeepMembers(
      contract.itemLinks.map((l) => [l.dataItemId, l.direction]),
      [
        [name.id, 'collected'],
        [phone.id, 'collected'],
        [opinion.id, 'provided'],
      ]
    )

    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes('毎年度評価のうえ更新')
    page.assertTextIncludes('専用回線を経由する端末を使用する。')
    page.assertTextIncludes('システム上')
  })

  test('items of another system are refused', async ({ client, assert }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const otherSystem = await makeSystem(staff, tree.kocho.id, { name: '別の業務' })
    const foreign = await makeItem(otherSystem.id, '氏名')
    const response = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        'title': '委託',
        'reason': '理由',
        'periodType': 'open_ended',
        'selectionMethod': 'nyusatsu',
        'collectedItemIds[]': [foreign.id],
      })
      .redirects(0)
    response.assertStatus(422)
    response.assertTextIncludes('この登録業務の記録項目から選択してください。')
    assert.lengthOf(await ContractDataItem.all(), 0)
  })

  test('a subcontract waits for the ward’s approval before it is active', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const otherSupervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kikikanri.id })
      .create()
    const [otsu, hei] = await ContractorFactory.createMany(2)
    const system = await makeSystem(staff, tree.kocho.id)
    const contract = await makeContract(staff, system, { contractorId: otsu.id })

    await client
      .post(`/systems/${system.id}/contracts?parent=${contract.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        title: 'データ入力の再委託',
        contractorId: hei.id,
        reason: '繁忙期の入力業務',
        periodType: 'fixed',
        handlesPersonalData: 'true',
      })
    const subcontract = await Contract.findByOrFail('title', 'データ入力の再委託')
    assert.equal(subcontract.parentContractId, contract.id)
    assert.equal(subcontract.status, 'pending_approval')

    const approval = { approvedOn: '2026-05-01', approvedBy: '広聴担当課長' }
    const staffApproval = await client
      .post(`/contracts/${subcontract.id}/approve`)
      .loginAs(staff)
      .withCsrfToken()
      .form(approval)
    staffApproval.assertStatus(403)
    const otherSupervisorApproval = await client
      .post(`/contracts/${subcontract.id}/approve`)
      .loginAs(otherSupervisor)
      .withCsrfToken()
      .form(approval)
    otherSupervisorApproval.assertStatus(403)
    await subcontract.refresh()
    assert.equal(subcontract.status, 'pending_approval')

    await client
      .post(`/contracts/${subcontract.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form(approval)
    await subcontract.refresh()
    assert.equal(subcontract.status, 'active')
    assert.equal(subcontract.approvedOn?.toISODate(), '2026-05-01')
    assert.equal(subcontract.approvedBy, '広聴担当課長')
    assert.isNotNull(await lastAudit('subcontract.approve'))
  })

  test('a subcontractor cannot subcontract further', async ({ client, assert }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const [otsu, hei, tei] = await ContractorFactory.createMany(3)
    const system = await makeSystem(officer, tree.kocho.id)
    const contract = await makeContract(officer, system, { contractorId: otsu.id })
    const subcontract = await makeContract(
      officer,
      system,
      { contractorId: hei.id, title: '再委託' },
      contract
    )

    const response = await client
      .post(`/systems/${system.id}/contracts?parent=${subcontract.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ title: '再々委託', contractorId: tei.id, reason: '理由', periodType: 'fixed' })
      .redirects(0)
    response.assertStatus(422)
    response.assertTextIncludes('再委託先はさらに再委託することはできません。')
    assert.isNull(await Contract.findBy('title', '再々委託'))
  })

  test('a contract keeps the special-terms version attached at signing', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const system = await makeSystem(officer, tree.kocho.id)
    const contract = await makeContract(officer, system, {
      selectionMethod: 'nyusatsu',
      specialTermSetId: first.id,
    })

    const response = await client
      .post(`/special-terms/${first.id}/versions`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        name: SPECIAL_TERMS_13.name,
        appliesTo: 'contractor',
        notes: '監査条項を改正',
        // Field names exactly as the HTML form sends them.
        ...Object.fromEntries(
          [
            ...SPECIAL_TERMS_13.clauses.map((clause) => ({
              heading: clause.heading,
              body: clause.body,
              duty: clause.duty ?? '',
            })),
            {
              heading: '個人情報を取り扱う従事者の指定',
              body: '乙は、個人情報を取り扱う従事者を指定し、甲に届け出なければならない。',
              duty: 'roster',
            },
            { heading: '', body: '', duty: '' },
          ].flatMap((clause, index) =>
            Object.entries(clause).map(([key, value]) => [`clauses[${index}][${key}]`, value])
          )
        ),
      })
      .redirects(0)
    response.assertStatus(302)
    const second = await SpecialTermSet.query()
      .where('code', 'standard-13')
      .where('version', 2)
      .preload('clauses')
      .firstOrFail()
    assert.lengthOf(second.clauses, 14)
    assert.equal(second.clauses[13].duty, 'roster')

    await contract.refresh()
    assert.equal(contract.specialTermSetId, first.id)
    const page = await client.get(`/contracts/${contract.id}`).loginAs(officer)
    page.assertTextIncludes('第1版')
    page.assertTextIncludes('（秘密の保持）')
    page.assertTextIncludes('乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。')
    assert.notInclude(page.text(), '個人情報を取り扱う従事者の指定')
  })

  test('only the privacy office changes the special-terms library', async ({ client }) => {
    const tree = await departmentTree()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const showPage = await client.get(`/special-terms/${first.id}`).loginAs(staff)
    showPage.assertStatus(200)
    const newVersionPage = await client.get(`/special-terms/${first.id}/new-version`).loginAs(staff)
    newVersionPage.assertStatus(403)
  })
})

test.group('Register: contractor users', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('see only their own contracts and subcontracts, read-only', async ({ client, assert }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const [sanko, mail, hei] = await ContractorFactory.merge([
      { name: '三幸株式会社' },
      { name: '安心メール配信株式会社' },
      { name: '丙データ株式会社' },
    ]).createMany(3)
    const system = await makeSystem(officer, tree.kocho.id)
    const own = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: 'コールセンター業務委託',
    })
    const sub = await makeContract(
      officer,
      system,
      { contractorId: hei.id, title: '入力業務の再委託' },
      own
    )
    const others = await makeContract(officer, system, {
      contractorId: mail.id,
      title: 'メール配信業務委託',
    })
    const sankoUser = await UserFactory.apply('contractor')
      .merge({ contractorId: sanko.id })
      .create()
    const heiUser = await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()

    const list = await client.get('/contracts').loginAs(sankoUser)
    list.assertTextIncludes('コールセンター業務委託')
    list.assertTextIncludes('入力業務の再委託')
    assert.notInclude(list.text(), 'メール配信業務委託')
    const searched = await client.get('/contracts?q=入力業務').loginAs(sankoUser)
    searched.assertTextIncludes('入力業務の再委託')
    assert.notInclude(searched.text(), 'コールセンター業務委託')
    // Searching cannot widen what a contractor user sees.
    const contractorSearch = await client.get('/contracts?q=メール').loginAs(sankoUser)
    assert.notInclude(contractorSearch.text(), 'メール配信業務委託')

    const ownContract = await client.get(`/contracts/${own.id}`).loginAs(sankoUser)
    ownContract.assertStatus(200)
    const ownSubcontract = await client.get(`/contracts/${sub.id}`).loginAs(sankoUser)
    ownSubcontract.assertStatus(200)
    const othersContract = await client.get(`/contracts/${others.id}`).loginAs(sankoUser)
    othersContract.assertStatus(403)
    const editPage = await client.get(`/contracts/${own.id}/edit`).loginAs(sankoUser)
    editPage.assertStatus(403)
    const updateResponse = await client
      .put(`/contracts/${own.id}`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ title: 'x', reason: 'x', periodType: 'fixed' })
    updateResponse.assertStatus(403)

    // The subcontractor sees its subcontract only.
    const heiSubcontract = await client.get(`/contracts/${sub.id}`).loginAs(heiUser)
    heiSubcontract.assertStatus(200)
    const heiParent = await client.get(`/contracts/${own.id}`).loginAs(heiUser)
    heiParent.assertStatus(403)
  })
})
