import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import PersonalDataSystem from '#models/personal_data_system'
import DataItem from '#models/data_item'
import SystemVersion from '#models/system_version'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, lastAudit } from '#tests/helpers'
import { makeItem, makeSystem } from '#tests/register_helpers'

test.group('Register: systems', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('department staff register a system with several media and numbered groups of people', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const response = await client
      .post('/systems')
      .loginAs(staff)
      .withCsrfToken()
      .form({
        'departmentId': tree.kocho.id,
        'name': 'コールセンター及び区民意見システム',
        'purpose': '区へ寄せられる区民等の意見及び問合せに対し、迅速かつ適切に回答する。',
        'subjectsSummary': '意見等を行う者',
        'subjectGroups':
          '区長への投書として、区へ意見等を提出した者\n担当課へ問合せを行い、かつ、回答を要望する者\n\nコールセンターに問合せを行った者',
        'recordingComputer': '統合基盤上のデータベースサーバー',
        'media[]': ['paper', 'electronic', 'cloud'],
        'lifecycle': 'operating',
        'startedOn': '2014-04-01',
        'fileType': 'computer',
        'publishedInFileRegister': 'true',
      })
      .redirects(0)
    response.assertStatus(302)
    const system = await PersonalDataSystem.query()
      .where('name', 'コールセンター及び区民意見システム')
      .preload('subjectGroups')
      .firstOrFail()
    assert.deepEqual(system.media, ['paper', 'electronic', 'cloud'])
    assert.deepEqual(
      system.subjectGroups.map((g) => [g.number, g.description]),
      [
        [1, '区長への投書として、区へ意見等を提出した者'],
        [2, '担当課へ問合せを行い、かつ、回答を要望する者'],
        [3, 'コールセンターに問合せを行った者'],
      ]
    )
    assert.equal(system.startedOn?.toISODate(), '2014-04-01')
    assert.equal(system.version, 1)
    const audit = await lastAudit('system.create')
    assert.equal(audit?.subjectId, String(system.id))

    const page = await client.get(`/systems/${system.id}`).loginAs(staff)
    page.assertTextIncludes('クラウドサービス')
    page.assertTextIncludes('コールセンターに問合せを行った者')
    page.assertTextIncludes('平成26年4月1日')
  })

  test('missing required fields come back with Japanese messages and nothing is saved', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const response = await client
      .post('/systems')
      .loginAs(staff)
      .withCsrfToken()
      .form({
        departmentId: tree.kocho.id,
        name: '',
        purpose: '',
        lifecycle: 'operating',
        fileType: 'computer',
        startedOn: 'not-a-date',
      })
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessage('inputErrorsBag')
    assert.deepEqual(errors.name, ['登録業務の名称を入力してください'])
    assert.deepEqual(errors.purpose, ['目的を入力してください'])
    assert.property(errors, 'startedOn')
    assert.lengthOf(await PersonalDataSystem.all(), 0)
  })

  test('the list searches by name or purpose and filters by lifecycle', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    await makeSystem(officer, tree.kocho.id, {
      name: '防災メール配信',
      purpose: '防災情報を配信する',
      lifecycle: 'operating',
    })
    await makeSystem(officer, tree.kocho.id, {
      name: '駐輪場管理',
      purpose: '駐輪場の定期利用者を管理する',
      lifecycle: 'retired',
    })

    const byPurpose = await client.get('/systems?q=防災情報').loginAs(officer)
    byPurpose.assertStatus(200)
    byPurpose.assertTextIncludes('防災メール配信')
    assert.notInclude(byPurpose.text(), '駐輪場管理')
    const retired = await client.get('/systems?lifecycle=retired').loginAs(officer)
    retired.assertTextIncludes('駐輪場管理')
    assert.notInclude(retired.text(), '防災メール配信')
  })

  test('staff see and edit only their department’s systems; privacy officers all', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const own = await makeSystem(officer, tree.kocho.id, { name: '広聴の業務' })
    const other = await makeSystem(officer, tree.kikikanri.id, { name: '危機管理の業務' })
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()

    const list = await client.get('/systems').loginAs(staff)
    list.assertTextIncludes('広聴の業務')
    assert.notInclude(list.text(), '危機管理の業務')
    const ownEdit = await client.get(`/systems/${own.id}/edit`).loginAs(staff)
    ownEdit.assertStatus(200)
    const otherShow = await client.get(`/systems/${other.id}`).loginAs(staff)
    otherShow.assertStatus(403)
    const otherEdit = await client.get(`/systems/${other.id}/edit`).loginAs(staff)
    otherEdit.assertStatus(403)
    const tampered = await client.put(`/systems/${other.id}`).loginAs(staff).withCsrfToken().form({
      departmentId: tree.kikikanri.id,
      name: '書き換え',
      purpose: 'x',
      lifecycle: 'operating',
      fileType: 'computer',
    })
    tampered.assertStatus(403)
    const untouched = await PersonalDataSystem.findOrFail(other.id)
    assert.equal(untouched.name, '危機管理の業務')

    // Nor may staff move their own system, or register one, into another department.
    const moved = await client.put(`/systems/${own.id}`).loginAs(staff).withCsrfToken().form({
      departmentId: tree.kikikanri.id,
      name: '広聴の業務',
      purpose: 'x',
      lifecycle: 'operating',
      fileType: 'computer',
    })
    moved.assertStatus(403)

    const editPage = await client.get(`/systems/${other.id}/edit`).loginAs(officer)
    editPage.assertStatus(200)
  })

  test('contractor users cannot open the register', async ({ client }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const system = await makeSystem(officer, tree.kocho.id)
    const contractorUser = await UserFactory.apply('contractor').with('contractor').create()
    const systemsPage = await client.get('/systems').loginAs(contractorUser)
    systemsPage.assertStatus(403)
    const showPage = await client.get(`/systems/${system.id}`).loginAs(contractorUser)
    showPage.assertStatus(403)
  })
})

test.group('Register: data items', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a special-care item is recorded with its statutory category', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '障害の程度', specialCareCategory: 'disability' })
    const item = await DataItem.findByOrFail('name', '障害の程度')
    assert.equal(item.specialCareCategory, 'disability')
    const page = await client.get(`/systems/${system.id}`).loginAs(staff)
    page.assertTextIncludes('心身の機能の障害')
  })

  test('a prohibited-category item without a recorded approval is refused', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const refused = await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '信仰する宗教', prohibitedCategory: 'thought_creed_religion' })
      .redirects(0)
    refused.assertFlashMessage('errors', {
      prohibitedApprovedOn: ['収集禁止事項に該当する項目は、承認日と承認者を入力してください。'],
    })
    assert.isNull(await DataItem.findBy('name', '信仰する宗教'))

    await client.post(`/systems/${system.id}/items`).loginAs(staff).withCsrfToken().form({
      name: '信仰する宗教',
      prohibitedCategory: 'thought_creed_religion',
      prohibitedApprovedOn: '2026-04-10',
      prohibitedApprovedBy: '情報公開・個人情報保護審議会',
      prohibitedApprovalReference: '令和8年度第1回 資料3',
    })
    const item = await DataItem.findByOrFail('name', '信仰する宗教')
    assert.equal(item.prohibitedApprovedOn?.toISODate(), '2026-04-10')
    assert.equal(item.prohibitedApprovedBy, '情報公開・個人情報保護審議会')
  })

  test('data items of another department’s system cannot be changed', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const system = await makeSystem(officer, tree.kikikanri.id)
    const item = await makeItem(system.id, '氏名')
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const response = await client
      .delete(`/systems/${system.id}/items/${item.id}`)
      .loginAs(staff)
      .withCsrfToken()
    response.assertStatus(403)
    assert.isNotNull(await DataItem.find(item.id))
  })
})

test.group('Register: versions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every change is a version; the history shows what differs between any two', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id, { media: ['paper'] })
    const form = {
      'departmentId': tree.kocho.id,
      'name': system.name,
      'purpose': '目的を変更した',
      'lifecycle': 'operating',
      'fileType': 'computer',
      'media[]': ['paper', 'usb'],
      'subjectGroups': '申請者',
    }

    await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '氏名' })
    await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '住所' })
    await client.put(`/systems/${system.id}`).loginAs(staff).withCsrfToken().form(form)
    const removed = await DataItem.findByOrFail('name', '住所')
    await client.delete(`/systems/${system.id}/items/${removed.id}`).loginAs(staff).withCsrfToken()

    const versions = await SystemVersion.query().where('systemId', system.id).orderBy('version')
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2, 3, 4, 5]
    )

    const diffOf = (html: string) =>
      html.slice(html.indexOf('id="diff-heading"'), html.indexOf('</section>'))
    const history = await client.get(`/systems/${system.id}/history?from=1&to=5`).loginAs(staff)
    history.assertStatus(200)
    const overall = diffOf(history.text())
    assert.include(overall, '追加: 氏名')
    assert.include(overall, '追加: USB')
    assert.include(overall, '目的を変更した')
    assert.notInclude(overall, '住所')

    const chosen = await client.get(`/systems/${system.id}/history?from=3&to=5`).loginAs(staff)
    const between = diffOf(chosen.text())
    assert.include(between, '削除: 住所')
    assert.notInclude(between, '氏名')
  })
})
