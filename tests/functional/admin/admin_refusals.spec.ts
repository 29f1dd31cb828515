import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Department from '#models/department'
import User from '#models/user'
import { DepartmentFactory } from '#database/factories/department_factory'
import { UserFactory } from '#database/factories/user_factory'

test.group('Administration: one failure path', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a JSON client gets a 422 with the Japanese message on the field; nothing is saved', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const bu = await DepartmentFactory.apply('bu').create()

    const department = await client
      .post('/admin/departments')
      .header('accept', 'application/json')
      .loginAs(admin)
      .withCsrfToken()
      .form({ code: 'new-bu', name: '新しい部', level: 'bu', parentId: String(bu.id) })
    department.assertStatus(422)
    department.assertBodyContains({
      errors: [{ field: 'parentId', message: '部には上位の所属を設定できません。' }],
    })
    assert.isNull(await Department.findBy('code', 'new-bu'))

    const user = await client
      .post('/admin/users')
      .header('accept', 'application/json')
      .loginAs(admin)
      .withCsrfToken()
      .form({
        email: 'nodept@ward.example.jp',
        fullName: '所属 なし',
        role: 'department_staff',
        locale: 'ja',
        password: 'a-long-enough-password-1',
        password_confirmation: 'a-long-enough-password-1',
      })
    user.assertStatus(422)
    user.assertBodyContains({
      errors: [{ field: 'departmentId', message: 'この役割には所属を選択してください。' }],
    })
    assert.isNull(await User.findBy('email', 'nodept@ward.example.jp'))
  })

  test('an HTML form gets the message on the field, with the input kept', async ({ client }) => {
    const admin = await UserFactory.apply('admin').create()
    const response = await client
      .post('/admin/departments')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', '/admin/departments/create')
      .form({ code: 'new-kakari', name: '新しい係', level: 'kakari' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/admin/departments/create')
    response.assertFlashMessage('errors', {
      parentId: ['係の上位の所属には課を選択してください。'],
    })
    response.assertFlashMessage('name', '新しい係')
  })
})
