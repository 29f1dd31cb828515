import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Contractor from '#models/contractor'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit } from '#tests/helpers'

/** A complete, valid form (国税庁's published corporate number). */
const VALID_FORM = {
  name: '株式会社テスト委託',
  nameKana: 'カブシキガイシャテストイタク',
  corporateNumber: '7000012050002',
  address: '東京都千代田区霞が関3-1-1',
  representative: '代表 一郎',
  privacyMarkNumber: '10820123(05)',
  privacyMarkExpiresOn: '2027-03-31',
  contactDepartment: '公共事業部',
  contactName: '窓口 花子',
  contactPhone: '03-1234-5678',
  contactEmail: 'madoguchi@example.jp',
  notes: '令和7年度から委託。',
}

const isoInDays = (days: number) => DateTime.now().plus({ days }).toISODate()!

test.group('Contractors: register and edit', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a privacy officer registers a contractor with every field', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form(VALID_FORM)
      .redirects(0)

    const created = await Contractor.findByOrFail('corporateNumber', '7000012050002')
    response.assertStatus(302)
    response.assertHeader('location', `/contractors/${created.id}`)
    assert.equal(created.name, '株式会社テスト委託')
    assert.equal(created.privacyMarkNumber, '10820123(05)')
    assert.equal(created.privacyMarkExpiresOn?.toISODate(), '2027-03-31')
    assert.equal(created.contactPhone, '03-1234-5678')
    assert.equal(created.contactEmail, 'madoguchi@example.jp')
  })

  test('full-width digits and hyphens in the corporate number are stored as 13 digits', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({ name: '全角入力株式会社', corporateNumber: '１１８０３０１－０１８７７１' })
      .redirects(0)
    const created = await Contractor.findByOrFail('name', '全角入力株式会社')
    assert.equal(created.corporateNumber, '1180301018771')
  })

  test('a wrong check digit is refused in Japanese and nothing is saved', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...VALID_FORM, corporateNumber: '8000012050002' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', {
      corporateNumber: ['法人番号のチェックデジットが正しくありません'],
    })
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
    assert.isNull(await lastAudit('contractor.create'))
  })

  test('a corporate number that is not 13 digits asks for 13 digits', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...VALID_FORM, corporateNumber: '700001205000' })
      .redirects(0)
    response.assertFlashMessage('inputErrorsBag', {
      corporateNumber: ['法人番号は13桁の数字で入力してください'],
    })
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
  })

  test('email, phone and expiry date formats are checked', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({
        ...VALID_FORM,
        contactEmail: 'not-an-address',
        contactPhone: '12-34',
        privacyMarkExpiresOn: '2027-02-30',
      })
      .redirects(0)
    const bag = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.sameMembers(Object.keys(bag), ['contactEmail', 'contactPhone', 'privacyMarkExpiresOn'])
    assert.match(bag.contactEmail[0], /の形式が正しくありません$/)
    assert.match(bag.contactPhone[0], /の形式が正しくありません$/)
    assert.match(bag.privacyMarkExpiresOn[0], /は日付で入力してください$/)
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
  })

  test('a Privacy Mark number needs its expiry date', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...VALID_FORM, privacyMarkExpiresOn: '' })
      .redirects(0)
    response.assertFlashMessage('errors', {
      privacyMarkExpiresOn: [
        'プライバシーマーク登録番号を入力した場合は、有効期限も入力してください。',
      ],
    })
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
  })

  test('a corporate number is registered only once (also when typed with hyphens)', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await ContractorFactory.merge({ corporateNumber: '7000012050002' }).create()
    const response = await client
      .post('/contractors')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...VALID_FORM, corporateNumber: '7-0000-1205-0002' })
      .redirects(0)
    response.assertStatus(302)
    const bag = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.sameMembers(Object.keys(bag), ['corporateNumber'])
    assert.match(bag.corporateNumber[0], /^この.+は既に使われています$/)
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
  })

  test('a privacy officer edits a contractor; the audit log names the changed fields only', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const contractor = await ContractorFactory.merge({
      name: '旧名株式会社',
      corporateNumber: '1000011000005',
    }).create()

    const form = await client.get(`/contractors/${contractor.id}/edit`).loginAs(officer)
    form.assertStatus(200)
    form.assertTextIncludes('旧名株式会社')

    const response = await client
      .put(`/contractors/${contractor.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        name: '新名株式会社',
        corporateNumber: '1000011000005',
        address: contractor.address,
        contactName: '秘密 太郎',
        contactEmail: 'secret.person@example.jp',
      })
      .redirects(0)
    response.assertHeader('location', `/contractors/${contractor.id}`)

    await contractor.refresh()
    assert.equal(contractor.name, '新名株式会社')
    const audit = await lastAudit('contractor.update')
    assert.equal(audit?.actorId, officer.id)
    assert.equal(audit?.subjectType, 'Contractor')
    assert.equal(audit?.subjectId, String(contractor.id))
    assert.sameMembers(audit!.changedFieldList, ['name', 'contactName', 'contactEmail'])
    const stored = JSON.stringify(audit!.serialize())
    assert.notInclude(stored, '新名')
    assert.notInclude(stored, '秘密')
    assert.notInclude(stored, 'secret.person')
  })

  test('registering is audited with field names, never values', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await client.post('/contractors').loginAs(officer).withCsrfToken().form(VALID_FORM).redirects(0)
    const created = await Contractor.findByOrFail('corporateNumber', '7000012050002')
    const audit = await lastAudit('contractor.create')
    assert.equal(audit?.subjectId, String(created.id))
    assert.includeMembers(audit!.changedFieldList, [
      'name',
      'corporateNumber',
      'privacyMarkNumber',
      'privacyMarkExpiresOn',
      'contactName',
      'contactEmail',
    ])
    const stored = JSON.stringify(audit!.serialize())
    for (const value of [
      '7000012050002',
      '株式会社テスト委託',
      '窓口',
      'madoguchi@example.jp',
      '03-1234-5678',
    ]) {
      assert.notInclude(stored, value)
    }
  })

  test('saving unchanged values records no changed fields', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await client.post('/contractors').loginAs(officer).withCsrfToken().form(VALID_FORM).redirects(0)
    const created = await Contractor.findByOrFail('corporateNumber', '7000012050002')
    await client
      .put(`/contractors/${created.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(VALID_FORM)
      .redirects(0)
    const audit = await lastAudit('contractor.update')
    assert.deepEqual(audit!.changedFieldList, [])
  })

  test('an administrator may register contractors too', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const createPage = await client.get('/contractors/create').loginAs(admin)
    createPage.assertStatus(200)
  })
})

test.group('Contractors: who may see and change what', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('department staff view the list and details but cannot create or edit (403)', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()

    const list = await client.get('/contractors').loginAs(staff)
    list.assertStatus(200)
    list.assertTextIncludes('三幸株式会社')
    assert.notInclude(list.text(), '/contractors/create')
    const page = await client.get(`/contractors/${contractor.id}`).loginAs(staff)
    page.assertStatus(200)
    assert.notInclude(page.text(), `/contractors/${contractor.id}/edit`)

    const createPage = await client.get('/contractors/create').loginAs(staff)
    createPage.assertStatus(403)
    const editPage = await client.get(`/contractors/${contractor.id}/edit`).loginAs(staff)
    editPage.assertStatus(403)
    const store = await client
      .post('/contractors')
      .loginAs(staff)
      .withCsrfToken()
      .form(VALID_FORM)
      .redirects(0)
    store.assertStatus(403)
    const update = await client
      .put(`/contractors/${contractor.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...VALID_FORM, name: '書き換え' })
      .redirects(0)
    update.assertStatus(403)
    update.assertTextIncludes('この操作を行う権限がありません')

    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
    await contractor.refresh()
    assert.equal(contractor.name, '三幸株式会社')
  })

  test('supervisors and operators view contractors too', async ({ client }) => {
    const tree = await departmentTree()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const operator = await UserFactory.apply('operator')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const contractor = await ContractorFactory.create()
    for (const user of [supervisor, operator]) {
      const contractorsPage = await client.get('/contractors').loginAs(user)
      contractorsPage.assertStatus(200)
      const showPage = await client.get(`/contractors/${contractor.id}`).loginAs(user)
      showPage.assertStatus(200)
      const editPage = await client.get(`/contractors/${contractor.id}/edit`).loginAs(user)
      editPage.assertStatus(403)
    }
  })

  test('a contractor user sees its own contractor and nothing else, even by URL', async ({
    client,
  }) => {
    const own = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const other = await ContractorFactory.merge({ name: '安心メール配信株式会社' }).create()
    const user = await UserFactory.apply('contractor').merge({ contractorId: own.id }).create()

    const page = await client.get(`/contractors/${own.id}`).loginAs(user)
    page.assertStatus(200)
    page.assertTextIncludes('三幸株式会社')

    const tampered = await client.get(`/contractors/${other.id}`).loginAs(user)
    tampered.assertStatus(403)
    tampered.assertTextIncludes('この操作を行う権限がありません')
    const editPage = await client.get(`/contractors/${other.id}/edit`).loginAs(user)
    editPage.assertStatus(403)

    // The list is not theirs: they are taken to their own contractor.
    const list = await client.get('/contractors').loginAs(user).redirects(0)
    list.assertStatus(302)
    list.assertHeader('location', `/contractors/${own.id}`)
  })

  test('a contractor user cannot edit even its own contractor', async ({ client, assert }) => {
    const own = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const user = await UserFactory.apply('contractor').merge({ contractorId: own.id }).create()

    const page = await client.get(`/contractors/${own.id}`).loginAs(user)
    assert.notInclude(page.text(), `/contractors/${own.id}/edit`)
    const editPage = await client.get(`/contractors/${own.id}/edit`).loginAs(user)
    editPage.assertStatus(403)
    const createPage = await client.get('/contractors/create').loginAs(user)
    createPage.assertStatus(403)
    const update = await client
      .put(`/contractors/${own.id}`)
      .loginAs(user)
      .withCsrfToken()
      .form({ ...VALID_FORM, name: '自社で書き換え' })
      .redirects(0)
    update.assertStatus(403)
    const store = await client
      .post('/contractors')
      .loginAs(user)
      .withCsrfToken()
      .form(VALID_FORM)
      .redirects(0)
    store.assertStatus(403)
    await own.refresh()
    assert.equal(own.name, '三幸株式会社')
    assert.isNull(await Contractor.findBy('name', VALID_FORM.name))
  })

  test('a contractor user without a contractor is refused the list', async ({ client }) => {
    const user = await UserFactory.apply('contractor').create()
    const contractorsPage = await client.get('/contractors').loginAs(user)
    contractorsPage.assertStatus(403)
  })

  test('guests are sent to the login page', async ({ client }) => {
    const response = await client.get('/contractors').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })
})

test.group('Contractors: list, search and detail', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('flagged Privacy Marks are marked on the list with text', async ({ client, assert }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await ContractorFactory.apply('privacyMarkExpired').merge({ name: '期限切れ株式会社' }).create()
    await ContractorFactory.apply('privacyMarkExpiring').merge({ name: '間近株式会社' }).create()
    await ContractorFactory.apply('privacyMarkValid').merge({ name: '有効株式会社' }).create()

    const response = await client.get('/contractors').loginAs(officer)
    const rowOf = (name: string) =>
      response
        .text()
        .split('<tr>')
        .find((row) => row.includes(name)) ?? ''
    assert.include(rowOf('期限切れ株式会社'), '期限切れ')
    assert.include(rowOf('間近株式会社'), '90日以内に期限')
    assert.notInclude(rowOf('有効株式会社'), '期限切れ')
    assert.notInclude(rowOf('有効株式会社'), '90日以内に期限')
  })

  test('the filter keeps Privacy Marks expired or expiring within 90 days', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    await ContractorFactory.merge({
      name: '期限切れ株式会社',
      privacyMarkNumber: '1',
      privacyMarkExpiresOn: DateTime.fromISO(isoInDays(-400)),
    }).create()
    await ContractorFactory.merge({
      name: '九十日後株式会社',
      privacyMarkNumber: '2',
      privacyMarkExpiresOn: DateTime.fromISO(isoInDays(90)),
    }).create()
    await ContractorFactory.merge({
      name: '九十一日後株式会社',
      privacyMarkNumber: '3',
      privacyMarkExpiresOn: DateTime.fromISO(isoInDays(91)),
    }).create()
    await ContractorFactory.merge({ name: 'マークなし株式会社' }).create()

    const response = await client.get('/contractors').qs({ flagged: '1' }).loginAs(officer)
    response.assertStatus(200)
    response.assertTextIncludes('期限切れ株式会社')
    response.assertTextIncludes('九十日後株式会社')
    assert.notInclude(response.text(), '九十一日後株式会社')
    assert.notInclude(response.text(), 'マークなし株式会社')
  })

  test('search by name, reading or corporate number (full-width allowed)', async ({
    client,
    assert,
  }) => {
    const staff = await UserFactory.apply('supervisor').create()
    await ContractorFactory.merge({
      name: '三幸株式会社',
      nameKana: 'サンコウ',
      corporateNumber: '1180301018771',
    }).create()
    await ContractorFactory.merge({
      name: '安心メール配信株式会社',
      corporateNumber: '7000012050002',
    }).create()

    const byName = await client.get('/contractors').qs({ q: '三幸' }).loginAs(staff)
    byName.assertTextIncludes('三幸株式会社')
    assert.notInclude(byName.text(), '安心メール配信株式会社')

    const byKana = await client.get('/contractors').qs({ q: 'サンコウ' }).loginAs(staff)
    byKana.assertTextIncludes('三幸株式会社')

    const byNumber = await client.get('/contractors').qs({ q: '７０００－０１２０' }).loginAs(staff)
    byNumber.assertTextIncludes('安心メール配信株式会社')
    assert.notInclude(byNumber.text(), '三幸株式会社')

    const wildcard = await client.get('/contractors').qs({ q: '%' }).loginAs(staff)
    wildcard.assertTextIncludes('該当する事業者はありません。')
  })

  test('the detail page shows the contractor, its Privacy Mark in 令和 and its users', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const contractor = await ContractorFactory.merge({
      name: '三幸株式会社',
      corporateNumber: '1180301018771',
      privacyMarkNumber: '10820123(05)',
      privacyMarkExpiresOn: DateTime.fromISO('2020-03-31'),
      contactName: '窓口 花子',
      contactPhone: '03-1234-5678',
    }).create()
    await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id, fullName: '受託 健太' })
      .create()
    await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id, fullName: '受託 次郎', isActive: false })
      .create()
    const otherContractor = await ContractorFactory.create()
    await UserFactory.apply('contractor')
      .merge({ contractorId: otherContractor.id, fullName: '他社 三郎' })
      .create()

    const response = await client.get(`/contractors/${contractor.id}`).loginAs(officer)
    response.assertStatus(200)
    response.assertTextIncludes('1180301018771')
    response.assertTextIncludes('10820123(05)')
    response.assertTextIncludes('令和2年3月31日')
    response.assertTextIncludes('期限切れ')
    response.assertTextIncludes('窓口 花子')
    response.assertTextIncludes('受託 健太')
    response.assertTextIncludes('受託 次郎')
    response.assertTextIncludes('無効')
    assert.notInclude(response.text(), '他社 三郎')
  })

  test('an expiring Privacy Mark is announced on the detail page', async ({ client }) => {
    const staff = await UserFactory.apply('supervisor').create()
    const contractor = await ContractorFactory.apply('privacyMarkExpiring').create()
    const response = await client.get(`/contractors/${contractor.id}`).loginAs(staff)
    response.assertTextIncludes('90日以内に期限')
    response.assertTextIncludes('有効期限')
  })

  test('viewing a contractor is written to the audit log', async ({ client, assert }) => {
    const staff = await UserFactory.apply('supervisor').create()
    const contractor = await ContractorFactory.create()
    await client.get(`/contractors/${contractor.id}`).loginAs(staff)
    const audit = await lastAudit('contractor.view')
    assert.equal(audit?.actorId, staff.id)
    assert.equal(audit?.subjectId, String(contractor.id))
  })

  test('an unknown contractor is 404', async ({ client }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const showPage = await client.get('/contractors/999999').loginAs(officer)
    showPage.assertStatus(404)
  })
})
