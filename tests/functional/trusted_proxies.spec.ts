import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import limiter from '@adonisjs/limiter/services/main'
import { compileTrustedProxies, type TrustProxyFn } from '#services/auth/trusted_proxies'
import { freshIp, lastAudit } from '#tests/helpers'

/**
 * The running test server reads `http.trustProxy` from config/app.ts on every
 * request. Each test sets it as TRUSTED_PROXIES would (the test client
 * connects from 127.0.0.1) and restores the suite's own value afterwards.
 */
function trustOnly(list: string | undefined) {
  const httpConfig = app.config.get<{ trustProxy: TrustProxyFn }>('app.http')
  const original = httpConfig.trustProxy
  httpConfig.trustProxy = compileTrustedProxies(list)
  return () => {
    httpConfig.trustProxy = original
  }
}

/** A failed login, whose audit entry records the IP the server believed. */
async function failedLoginFrom(client: any, forwardedFor: string) {
  await client
    .post('/login')
    .header('x-forwarded-for', forwardedFor)
    .form({ email: `nobody-${Date.now()}@example.jp`, password: 'x' })
    .withCsrfToken()
    .redirects(0)
  return (await lastAudit('auth.login_failed'))!.ip
}

/** An anonymous /voice post (rejected by validation, but counted by the per-IP limit). */
function voiceFrom(client: any, forwardedFor: string) {
  return client
    .post('/voice')
    .header('x-forwarded-for', forwardedFor)
    .header('referer', '/voice')
    .withCsrfToken()
    .form({ kind: 'opinion', subject: '', body: '本文' })
    .redirects(0)
}

test.group('Trusted proxies (TRUSTED_PROXIES)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  // The /voice limit is per IP; start every test with no requests counted.
  group.each.setup(() => limiter.clear())

  test('without a trusted proxy a forged X-Forwarded-For does not change the IP in the audit log', async ({
    client,
    assert,
  }) => {
    const restore = trustOnly(undefined)
    try {
      const ip = await failedLoginFrom(client, '203.0.113.9')
      assert.notEqual(ip, '203.0.113.9')
      assert.match(ip!, /127\.0\.0\.1$/)
    } finally {
      restore()
    }
  })

  test('without a trusted proxy, forging a new IP per request does not get past the /voice limit', async ({
    client,
  }) => {
    const restore = trustOnly('')
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await voiceFrom(client, freshIp())
        response.assertStatus(302)
      }
      const refused = await voiceFrom(client, freshIp())
      refused.assertStatus(429)
      refused.assertTextIncludes('試行回数が多すぎます')
    } finally {
      restore()
    }
  })

  test('with TRUSTED_PROXIES=127.0.0.1/32 the address the proxy forwards is used', async ({
    client,
    assert,
  }) => {
    const restore = trustOnly('127.0.0.1/32')
    try {
      assert.equal(await failedLoginFrom(client, '203.0.113.9'), '203.0.113.9')
      // The proxy appends the address it saw; whatever the client put before it is not believed.
      assert.equal(await failedLoginFrom(client, '198.51.100.1, 203.0.113.10'), '203.0.113.10')
      // Clients behind the proxy each get their own /voice limit.
      for (let attempt = 0; attempt < 6; attempt++) {
        const response = await voiceFrom(client, freshIp())
        response.assertStatus(302)
      }
    } finally {
      restore()
    }
  })

  test('a proxy outside the list is not believed', async ({ client, assert }) => {
    const restore = trustOnly('10.0.0.0/8, 192.168.1.1/32')
    try {
      assert.notEqual(await failedLoginFrom(client, '203.0.113.9'), '203.0.113.9')
    } finally {
      restore()
    }
  })

  test('config/app.ts trusts exactly the proxies in TRUSTED_PROXIES', ({ assert }) => {
    // .env.test: TRUSTED_PROXIES=127.0.0.1/32,::1/128
    const { trustProxy } = app.config.get<{ trustProxy: TrustProxyFn }>('app.http')
    assert.isTrue(trustProxy('127.0.0.1', 0))
    assert.isTrue(trustProxy('::1', 0))
    assert.isFalse(trustProxy('203.0.113.1', 0))
    assert.isFalse(trustProxy('10.0.0.1', 0))
  })

  test('the list is CIDR ranges separated by commas; empty trusts nobody; a typo stops the start', ({
    assert,
  }) => {
    const trust = compileTrustedProxies(' 10.0.0.5/32, 10.1.0.0/16 ')
    assert.isTrue(trust('10.0.0.5', 0))
    assert.isTrue(trust('10.1.200.3', 0))
    assert.isFalse(trust('10.0.0.6', 0))
    assert.isFalse(compileTrustedProxies('')('127.0.0.1', 0))
    assert.isFalse(compileTrustedProxies(undefined)('10.0.0.5', 0))
    assert.throws(() => compileTrustedProxies('10.0.0.300/32'), /TRUSTED_PROXIES/)
  })
})

/** A failed login with the given X-Request-Id: the id the response names and the audit entry's. */
async function failedLoginWithRequestId(client: any, requestId: string) {
  const response = await client
    .post('/login')
    .header('x-request-id', requestId)
    .form({ email: `nobody-${Date.now()}@example.jp`, password: 'x' })
    .withCsrfToken()
    .redirects(0)
  response.assertStatus(302)
  const entry = await lastAudit('auth.login_failed')
  return { answered: response.header('x-request-id') as string, logged: entry?.requestId }
}

const SERVER_ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/

test.group('Request ids (X-Request-Id)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an id longer than the audit log keeps is replaced: the failed login is still recorded', async ({
    client,
    assert,
  }) => {
    // From the suite's trusted proxy (127.0.0.1), but no proxy hands on 100 characters.
    const { answered, logged } = await failedLoginWithRequestId(client, 'a'.repeat(100))
    assert.equal(logged, answered)
    assert.match(answered, SERVER_ID)
  })

  test('without a trusted proxy a client cannot choose the id the audit log records', async ({
    client,
    assert,
  }) => {
    const restore = trustOnly(undefined)
    try {
      const { answered, logged } = await failedLoginWithRequestId(client, 'forged-id-1')
      assert.match(answered, SERVER_ID)
      assert.equal(logged, answered)
    } finally {
      restore()
    }
  })

  test("a trusted proxy's own id is handed on; without one each request gets a new id", async ({
    client,
    assert,
  }) => {
    const nginxId = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'
    const { answered, logged } = await failedLoginWithRequestId(client, nginxId)
    assert.equal(answered, nginxId)
    assert.equal(logged, nginxId)

    const [first, second] = [await client.get('/login'), await client.get('/login')].map(
      (response) => String(response.header('x-request-id'))
    )
    assert.match(first, SERVER_ID)
    assert.match(second, SERVER_ID)
    assert.notEqual(first, second)
  })
})
