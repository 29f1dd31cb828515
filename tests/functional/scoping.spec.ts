import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import Department from '#models/department'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit } from '#tests/helpers'

test.group('Department scoping', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff see their own department and the units below it', async ({ client }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()

    const response = await client.get(`/departments/${tree.kocho.id}`).loginAs(staff)
    response.assertStatus(200)
    const unitBelow = await client.get(`/departments/${tree.kochoKakari.id}`).loginAs(staff)
    unitBelow.assertStatus(200)
  })

  test('staff are refused another department (403, Japanese page)', async ({ client }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()

    const other = await client.get(`/departments/${tree.kikikanri.id}`).loginAs(staff)
    other.assertStatus(403)
    other.assertTextIncludes('この操作を行う権限がありません')
    // The 部 above is not theirs either.
    const response = await client.get(`/departments/${tree.bu.id}`).loginAs(staff)
    response.assertStatus(403)
  })

  test('the organisation list shows staff only their part of the tree', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const response = await client.get('/departments').loginAs(staff)
    response.assertTextIncludes('広聴係')
    assert.notInclude(response.text(), '危機管理課')
  })

  test('privacy officers see every department', async ({ client }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const response = await client.get(`/departments/${tree.kikikanri.id}`).loginAs(officer)
    response.assertStatus(200)
    const departmentList = await client.get('/departments').loginAs(officer)
    departmentList.assertTextIncludes('危機管理課')
  })

  test('a contractor user is tied to its contractor and kept out of ward pages', async ({
    client,
  }) => {
    const tree = await departmentTree()
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const user = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id })
      .create()

    const dashboard = await client.get('/dashboard').loginAs(user)
    dashboard.assertTextIncludes('三幸株式会社')
    const response = await client.get('/departments').loginAs(user)
    response.assertStatus(403)
    const departmentPage = await client.get(`/departments/${tree.kocho.id}`).loginAs(user)
    departmentPage.assertStatus(403)
  })

  test('a disabled account is refused everything by policy', async ({ client }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id, isActive: false }).create()
    const response = await client.get(`/departments/${tree.kocho.id}`).loginAs(staff)
    response.assertStatus(403)
  })

  test('viewing a department is written to the audit log', async ({ client, assert }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    await client.get(`/departments/${tree.kocho.id}`).loginAs(staff)
    const audit = await lastAudit('department.view')
    assert.equal(audit?.actorId, staff.id)
    assert.equal(audit?.subjectType, 'Department')
    assert.equal(audit?.subjectId, String(tree.kocho.id))
  })
})

test.group('Administration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('only administrators reach the user administration', async ({ client }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const admin = await UserFactory.apply('admin').create()
    const response = await client.get('/admin/users').loginAs(staff)
    response.assertStatus(403)
    const asOfficer = await client.get('/admin/users').loginAs(officer)
    asOfficer.assertStatus(403)
    const asAdmin = await client.get('/admin/users').loginAs(admin)
    asAdmin.assertStatus(200)
  })

  test('an administrator creates a staff account; only field names reach the audit log', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .post('/admin/users')
      .loginAs(admin)
      .withCsrfToken()
      .form({
        fullName: '新任 職員',
        email: 'New.Staff@City.example.jp',
        role: 'supervisor',
        departmentId: tree.kocho.id,
        locale: 'ja',
        password: 'a-long-password',
      })
      .redirects(0)
    response.assertHeader('location', '/admin/users')

    const created = await User.findByOrFail('email', 'new.staff@city.example.jp')
    assert.equal(created.role, 'supervisor')
    const audit = await lastAudit('user.create')
    assert.equal(audit?.subjectId, String(created.id))
    assert.includeMembers(audit!.changedFieldList, ['email', 'fullName', 'role', 'password'])
    assert.notInclude(JSON.stringify(audit!.serialize()), 'new.staff@city.example.jp')
    assert.notInclude(JSON.stringify(audit!.serialize()), '新任')
  })

  test('bad input comes back to the form with Japanese messages', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .post('/admin/users')
      .loginAs(admin)
      .withCsrfToken()
      .form({ fullName: '', email: 'broken', role: 'wizard', locale: 'ja', password: 'short' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', {
      fullName: ['氏名を入力してください'],
      email: ['メールアドレスの形式が正しくありません'],
      role: ['役割の選択が正しくありません'],
      password: ['パスワードは12文字以上で入力してください'],
    })
  })

  test('a contractor account needs a contractor', async ({ client, assert }) => {
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .post('/admin/users')
      .loginAs(admin)
      .withCsrfToken()
      .form({
        fullName: '受託 太郎',
        email: 'c@example.jp',
        role: 'contractor',
        locale: 'ja',
        password: 'a-long-password',
      })
      .redirects(0)
    response.assertFlashMessage('errors', {
      contractorId: ['受託事業者の利用者には事業者を選択してください。'],
    })
    assert.isNull(await User.findBy('email', 'c@example.jp'))
  })

  test('departments keep the 部 > 課 > 係 shape', async ({ client, assert }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()

    const wrong = await client
      .post('/admin/departments')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: '新しい係', code: 'new-kakari', level: 'kakari', parentId: tree.bu.id })
      .redirects(0)
    wrong.assertFlashMessage('errors', { parentId: ['係の上位の所属には課を選択してください。'] })

    const right = await client
      .post('/admin/departments')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: '新しい係', code: 'new-kakari', level: 'kakari', parentId: tree.kocho.id })
      .redirects(0)
    right.assertHeader('location', '/departments')
    const created = await Department.findByOrFail('code', 'new-kakari')
    assert.equal(created.parentId, tree.kocho.id)
    assert.include(await Department.subtreeIds(tree.bu.id), created.id)
  })

  test('a department cannot be moved below itself', async ({ client }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .put(`/admin/departments/${tree.kocho.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: '広聴担当課', code: 't-kocho', level: 'ka', parentId: tree.kochoKakari.id })
      .redirects(0)
    response.assertFlashMessage('errors', {
      parentId: ['課の上位の所属には部を選択してください。'],
    })
  })
})
