import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import User from '#models/user'
import Citizen from '#models/citizen'
import { UserFactory, TEST_PASSWORD } from '#database/factories/user_factory'
import DemoData, { DEMO_PASSWORD } from '#database/demo/demo_data'
import { departmentTree, freshIp } from '#tests/helpers'

/**
 * Issue 14 item 10 (ASVS 2.1.1, 2.1.7, 2.1.9): passwords of at least 12
 * characters, checked against the bundled offline list of common and
 * breached passwords, with no composition rules; for staff accounts (created
 * or changed by an administrator) and citizen registration.
 */
const TOO_SHORT = 'パスワードは12文字以上で入力してください'
const COMMON =
  'このパスワードはよく使われているか、流出したことが知られているため使えません。推測されにくい別のパスワードにしてください'

async function createStaff(
  client: any,
  admin: User,
  departmentId: number,
  password: string,
  email = 'new.staff@city.example.jp'
) {
  return client
    .post('/admin/users')
    .loginAs(admin)
    .withCsrfToken()
    .header('referer', '/admin/users/create')
    .form({
      fullName: '新任 職員',
      email,
      role: 'department_staff',
      departmentId,
      locale: 'ja',
      password,
    })
    .redirects(0)
}

function register(client: any, email: string, password: string) {
  return client
    .post('/citizen/register')
    .header('x-forwarded-for', freshIp())
    .header('referer', '/citizen/register')
    .withCsrfToken()
    .form({ fullName: '登録 花子', email, password, password_confirmation: password })
    .redirects(0)
}

test.group('Password policy: staff accounts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an 11-character password is refused in Japanese and the form keeps what was typed', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    const response = await createStaff(client, admin, tree.kocho.id, 'eleven-char')
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { password: [TOO_SHORT] })
    assert.isNull(await User.findBy('email', 'new.staff@city.example.jp'))
    const form = await client
      .get('/admin/users/create')
      .loginAs(admin)
      .withSession({ __flash__: response.flashMessages() })
    form.assertTextIncludes(TOO_SHORT)
    form.assertTextIncludes('新任 職員')
  })

  test('common and breached passwords of 12+ characters are refused, whatever their case', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    for (const password of [
      'password1234',
      'qwertyuiop12',
      'Shinjuku1234',
      'tanaka123456',
      '1qaz2wsx3edc',
      'CorrectHorseBatteryStaple',
    ]) {
      const response = await createStaff(client, admin, tree.kocho.id, password)
      response.assertFlashMessage('inputErrorsBag', { password: [COMMON] })
    }
    assert.isNull(await User.findBy('email', 'new.staff@city.example.jp'))
  })

  test('no composition rules: a long phrase of letters only, or in Japanese, is accepted', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    for (const [index, password] of [
      'sakura no hana ga saku',
      '区役所の前の桜並木を歩く',
    ].entries()) {
      const email = `phrase${index}@city.example.jp`
      const response = await createStaff(client, admin, tree.kocho.id, password, email)
      response.assertHeader('location', '/admin/users')
      const created = await User.findByOrFail('email', email)
      assert.isTrue(await hash.verify(created.password, password))
    }
  })

  test("an administrator's password change follows the same rules", async ({ client, assert }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').create()
    const staff = await UserFactory.merge({
      departmentId: tree.kocho.id,
      fullName: '既存 職員',
    }).create()
    const change = (password: string) =>
      client
        .put(`/admin/users/${staff.id}`)
        .loginAs(admin)
        .withCsrfToken()
        .header('referer', `/admin/users/${staff.id}/edit`)
        .form({
          fullName: '既存 職員',
          email: staff.email,
          role: 'department_staff',
          departmentId: tree.kocho.id,
          locale: 'ja',
          isActive: 'true',
          password,
        })
        .redirects(0)

    const response = await change('password1234')
    response.assertFlashMessage('inputErrorsBag', { password: [COMMON] })
    const tooShort = await change('short-pass')
    tooShort.assertFlashMessage('inputErrorsBag', { password: [TOO_SHORT] })
    await staff.refresh()
    assert.isTrue(await hash.verify(staff.password, TEST_PASSWORD), 'the old password still works')

    const accepted = await change('hikari-ga-sasu-madobe')
    accepted.assertHeader('location', '/admin/users')
    await staff.refresh()
    assert.isTrue(await hash.verify(staff.password, 'hikari-ga-sasu-madobe'))
  })
})

test.group('Password policy: citizen registration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('short and common passwords are refused in Japanese; a long phrase registers', async ({
    client,
    assert,
  }) => {
    mail.fake()
    const short = await register(client, 'hanako@example.jp', 'daicho-demo')
    short.assertFlashMessage('inputErrorsBag', { password: [TOO_SHORT] })
    const common = await register(client, 'hanako@example.jp', 'password1234')
    common.assertFlashMessage('inputErrorsBag', { password: [COMMON] })
    const page = await client
      .get('/citizen/register')
      .withSession({ __flash__: common.flashMessages() })
    page.assertTextIncludes(COMMON)
    page.assertTextIncludes('hanako@example.jp')
    assert.isNull(await Citizen.findByEmail('hanako@example.jp'))

    const response = await register(client, 'hanako@example.jp', 'asagao ga saita natsu')
    response.assertStatus(302)
    assert.isNotNull(await Citizen.findByEmail('hanako@example.jp'))
  })

  test('the form says what is asked: 12 characters, no common passwords, no composition rules', async ({
    client,
  }) => {
    const page = await client.get('/citizen/register')
    page.assertTextIncludes('12文字以上')
    page.assertTextIncludes('記号や数字を混ぜる必要はありません')
  })

  test('the demo accounts, seeded directly with the 11-character demo password, still log in', async ({
    client,
    assert,
  }) => {
    assert.lengthOf(DEMO_PASSWORD, 11)
    assert.equal(await DemoData.load({ inProduction: false }), 'loaded')
    const staff = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: 'staff@demo.daicho.jp', password: DEMO_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    assert.notEqual(staff.header('location'), '/login')
    const citizen = await client
      .post('/citizen/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: 'citizen@demo.daicho.jp', password: DEMO_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    citizen.assertHeader('location', '/citizen')
  })
})
