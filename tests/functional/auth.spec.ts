import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import AttemptLogin from '#actions/auth/attempt_login'
import { UserFactory, TEST_PASSWORD } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { freshIp, lastAudit } from '#tests/helpers'
import AuditLogger from '#services/audit_logger'

test.group('Staff login', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('logs in with the right password and lands on the dashboard', async ({ client, assert }) => {
    const user = await UserFactory.with('department').create()
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: user.email.toUpperCase(), password: TEST_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/dashboard')
    const audit = await lastAudit('auth.login')
    assert.equal(audit?.subjectId, String(user.id))
    assert.isNotNull(audit?.requestId)
  })

  test('a wrong password is refused with a Japanese message and audited', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.with('department').create()
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: user.email, password: 'wrong-password' })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/login')
    response.assertFlashMessage('loginError', 'メールアドレスまたはパスワードが正しくありません。')
    const audit = await lastAudit('auth.login_failed')
    assert.equal(audit?.subjectId, String(user.id))
    await user.refresh()
    assert.equal(user.failedLoginCount, 1)
  })

  test('an invalid email is a form error, not a server error', async ({ client }) => {
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: 'not-an-email', password: 'x' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', {
      email: ['メールアドレスの形式が正しくありません'],
    })
  })

  // Throttling (failures only, per IP+account, per account, per IP): login_throttle.spec.ts

  test('a login without the CSRF token is refused', async ({ client }) => {
    const user = await UserFactory.with('department').create()
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: user.email, password: TEST_PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/')
    const dashboard = await client.get('/dashboard').redirects(0)
    dashboard.assertHeader('location', '/login')
  })

  test('a disabled account cannot log in', async ({ client }) => {
    const user = await UserFactory.with('department').merge({ isActive: false }).create()
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: user.email, password: TEST_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage(
      'loginError',
      'このアカウントは無効になっています。システム管理者にお問い合わせください。'
    )
  })

  test('passwords are stored as scrypt hashes', async ({ assert }) => {
    const user = await UserFactory.with('department').create()
    const stored = await User.findOrFail(user.id)
    assert.match(stored.password, /^\$scrypt\$/)
    assert.notInclude(stored.password, TEST_PASSWORD)
  })

  test('demo accounts are refused in production', async ({ assert }) => {
    const user = await UserFactory.with('department').apply('demo').create()
    const refused = await new AttemptLogin(AuditLogger.system).handle(user, TEST_PASSWORD, {
      accountType: 'User',
      demoAllowed: false,
    })
    assert.deepEqual(refused, { ok: false, reason: 'demo_disabled' })
    const allowed = await new AttemptLogin(AuditLogger.system).handle(user, TEST_PASSWORD, {
      accountType: 'User',
      demoAllowed: true,
    })
    assert.isTrue(allowed.ok)
  })

  test('logging out ends the session', async ({ client }) => {
    const user = await UserFactory.with('department').create()
    const response = await client.post('/logout').loginAs(user).withCsrfToken().redirects(0)
    response.assertHeader('location', '/login')
  })
})

test.group('Citizen login is separate from staff login', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a citizen logs in by email (found through the blind index)', async ({ client }) => {
    const citizen = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now() }).create()
    const response = await client
      .post('/citizen/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: ` ${citizen.email.toUpperCase()} `, password: TEST_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/citizen')
  })

  test('a citizen account cannot log in on the staff login', async ({ client }) => {
    const citizen = await CitizenFactory.create()
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: citizen.email, password: TEST_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/login')
  })

  test('a logged-in citizen cannot open staff pages, nor staff the citizen portal', async ({
    client,
  }) => {
    const citizen = await CitizenFactory.create()
    const staffPage = await client
      .get('/dashboard')
      .withGuard('citizen')
      .loginAs(citizen)
      .redirects(0)
    staffPage.assertHeader('location', '/login')

    const user = await UserFactory.with('department').create()
    const portal = await client.get('/citizen').loginAs(user).redirects(0)
    portal.assertHeader('location', '/citizen/login')
  })

  test('the citizen portal greets the citizen and audits the read', async ({ client, assert }) => {
    const citizen = await CitizenFactory.merge({ fullName: '新宿 花子' }).create()
    const response = await client.get('/citizen').withGuard('citizen').loginAs(citizen)
    response.assertStatus(200)
    response.assertTextIncludes('新宿 花子様')
    const audit = await lastAudit('citizen.view_own_profile')
    assert.equal(audit?.actorType, 'citizen')
    assert.equal(audit?.actorLabel, `citizen#${citizen.id}`)
  })
})
