import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient } from '@japa/api-client'
import { UserFactory, TEST_PASSWORD } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { LOGIN_LIMITS } from '#services/auth/login_throttle'
import { freshIp, lastAudit } from '#tests/helpers'

const INVALID = 'メールアドレスまたはパスワードが正しくありません。'
const THROTTLED = /^ログインの試行回数が多すぎます。\d+分ほど時間をおいてから再度お試しください。$/

interface Attempt {
  email: string
  password: string
  ip: string
  device?: unknown
  path?: '/login' | '/citizen/login'
}

function login(client: ApiClient, { email, password, ip, device, path = '/login' }: Attempt) {
  const request = client
    .post(path)
    .header('x-forwarded-for', ip)
    .form({ email, password })
    .withCsrfToken()
    .redirects(0)
  return device === undefined ? request : request.withEncryptedCookie('login_device', device)
}

/** The message the login form shows after the redirect. */
function loginError(response: { flashMessage(key: string): unknown }): string {
  return String(response.flashMessage('loginError'))
}

test.group('Login throttling counts failures only', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the 11th colleague behind the ward proxy logs in', async ({ client }) => {
    const proxy = freshIp()
    const colleagues = await UserFactory.with('department').createMany(12)
    for (const colleague of colleagues) {
      const response = await login(client, {
        email: colleague.email,
        password: TEST_PASSWORD,
        ip: proxy,
      })
      response.assertHeader('location', '/dashboard')
    }
  })

  test('five wrong passwords block that IP for that account, even the right password; the owner elsewhere still logs in', async ({
    client,
    assert,
  }) => {
    const owner = await UserFactory.with('department').create()
    const attacker = freshIp()
    const messages: string[] = []
    for (let attempt = 0; attempt < LOGIN_LIMITS.ipAccount.requests; attempt++) {
      const response = await login(client, {
        email: owner.email,
        password: `guess-${attempt}`,
        ip: attacker,
      })
      response.assertHeader('location', '/login')
      messages.push(loginError(response))
    }
    assert.deepEqual(messages.slice(0, 4), [INVALID, INVALID, INVALID, INVALID])
    assert.match(messages[4], THROTTLED)
    assert.include(messages[4], '15分')

    const stillBlocked = await login(client, {
      email: owner.email,
      password: TEST_PASSWORD,
      ip: attacker,
    })
    stillBlocked.assertHeader('location', '/login')
    assert.match(loginError(stillBlocked), THROTTLED)
    assert.isNotNull(await lastAudit('auth.login_throttled'))

    const ownerElsewhere = await login(client, {
      email: owner.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
    })
    ownerElsewhere.assertHeader('location', '/dashboard')
    // The attacker's IP may still try other accounts: no office-wide lock.
    const colleague = await UserFactory.with('department').create()
    const colleagueLogin = await login(client, {
      email: colleague.email,
      password: TEST_PASSWORD,
      ip: attacker,
    })
    colleagueLogin.assertHeader('location', '/dashboard')
  })

  test('the block message is the same whether the account exists or not', async ({
    client,
    assert,
  }) => {
    const owner = await UserFactory.with('department').create()
    const transcript = async (email: string) => {
      const ip = freshIp()
      const seen: string[] = []
      for (let attempt = 0; attempt < LOGIN_LIMITS.ipAccount.requests + 1; attempt++) {
        const response = await login(client, { email, password: 'wrong-password-1', ip })
        seen.push(loginError(response))
      }
      return seen
    }
    const existing = await transcript(owner.email)
    const unknown = await transcript(`no-such-person-${Date.now()}@example.jp`)
    assert.deepEqual(existing, unknown)
    assert.match(existing[LOGIN_LIMITS.ipAccount.requests], THROTTLED)
    assert.notInclude(existing.join(''), 'アカウント')
  })

  test('failures spread over many IPs cannot lock the owner out of the browser they use', async ({
    client,
    assert,
  }) => {
    const owner = await UserFactory.with('department').create()
    const first = await login(client, {
      email: owner.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
    })
    first.assertHeader('location', '/dashboard')
    const device = first.cookie('login_device')?.value
    assert.exists(device)

    // A botnet: one wrong password per IP, up to the per-account limit.
    for (let attempt = 0; attempt < LOGIN_LIMITS.account.requests; attempt++) {
      await login(client, { email: owner.email, password: `guess-${attempt}`, ip: freshIp() })
    }
    // A browser that never logged in to the account is now held back...
    const stranger = await login(client, {
      email: owner.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
    })
    assert.match(loginError(stranger), THROTTLED)
    // ...but the owner's own browser logs in, from anywhere.
    const ownBrowser = await login(client, {
      email: owner.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
      device,
    })
    ownBrowser.assertHeader('location', '/dashboard')
  })

  test('one IP trying many accounts hits the higher per-IP ceiling; colleagues with a known browser are not held', async ({
    client,
    assert,
  }) => {
    const colleague = await UserFactory.with('department').create()
    const proxy = freshIp()
    const known = await login(client, {
      email: colleague.email,
      password: TEST_PASSWORD,
      ip: proxy,
    })
    const device = known.cookie('login_device')?.value

    for (let attempt = 0; attempt < LOGIN_LIMITS.ip.requests - 1; attempt++) {
      const response = await login(client, {
        email: `spray-${attempt}@example.jp`,
        password: 'Password1',
        ip: proxy,
      })
      assert.equal(loginError(response), INVALID)
    }
    const last = await login(client, {
      email: 'spray-last@example.jp',
      password: 'Password1',
      ip: proxy,
    })
    assert.match(loginError(last), THROTTLED)
    const newcomer = await UserFactory.with('department').create()
    assert.match(
      loginError(
        await login(client, { email: newcomer.email, password: TEST_PASSWORD, ip: proxy })
      ),
      THROTTLED
    )

    const colleagueLogin = await login(client, {
      email: colleague.email,
      password: TEST_PASSWORD,
      ip: proxy,
      device,
    })
    colleagueLogin.assertHeader('location', '/dashboard')
  }).timeout(60_000)

  test('a stale lock in the account row no longer refuses anyone', async ({ client }) => {
    const user = await UserFactory.with('department')
      .merge({ lockedUntil: DateTime.now().plus({ hours: 1 }) })
      .create()
    const response = await login(client, {
      email: user.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
    })
    response.assertHeader('location', '/dashboard')
  })
})

test.group('Citizen login throttling', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('citizens get the same per-IP+account block, and log in from elsewhere', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now() }).create()
    const attacker = freshIp()
    let last = ''
    for (let attempt = 0; attempt < LOGIN_LIMITS.ipAccount.requests; attempt++) {
      const response = await login(client, {
        email: citizen.email,
        password: `guess-${attempt}`,
        ip: attacker,
        path: '/citizen/login',
      })
      last = loginError(response)
    }
    assert.match(last, THROTTLED)
    const blocked = await login(client, {
      email: citizen.email,
      password: TEST_PASSWORD,
      ip: attacker,
      path: '/citizen/login',
    })
    assert.match(loginError(blocked), THROTTLED)
    const ownLogin = await login(client, {
      email: citizen.email,
      password: TEST_PASSWORD,
      ip: freshIp(),
      path: '/citizen/login',
    })
    ownLogin.assertHeader('location', '/citizen')
  })

  test('many citizens behind one IP log in', async ({ client }) => {
    const ip = freshIp()
    const citizens = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now() }).createMany(12)
    for (const citizen of citizens) {
      const response = await login(client, {
        email: citizen.email,
        password: TEST_PASSWORD,
        ip,
        path: '/citizen/login',
      })
      response.assertHeader('location', '/citizen')
    }
  })
})
