import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'

test.group('Public pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the home page is Japanese by default', async ({ client }) => {
    const response = await client.get('/')
    response.assertStatus(200)
    response.assertTextIncludes('<html lang="ja">')
    response.assertTextIncludes('個人情報保護・委託先監督・広聴業務')
    response.assertTextIncludes('区民の方のログイン')
  })

  test('?lang=en switches to English and is remembered', async ({ client, assert }) => {
    const english = await client.get('/?lang=en')
    english.assertTextIncludes('<html lang="en">')
    english.assertTextIncludes('Citizen login')
    assert.equal(english.cookie('locale')?.value, 'en')

    const next = await client.get('/login').withPlainCookie('locale', 'en')
    next.assertTextIncludes('Staff &amp; contractor login')
  })

  test('a guest asking for the dashboard is sent to the staff login', async ({ client }) => {
    const response = await client.get('/dashboard').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login')
  })

  test('an unknown page answers with a Japanese 404 page', async ({ client }) => {
    const response = await client.get('/no-such-page')
    response.assertStatus(404)
    response.assertTextIncludes('ページが見つかりません')
  })

  test('responses carry the security headers', async ({ client, assert }) => {
    const response = await client.get('/login')
    assert.equal(response.header('x-frame-options'), 'DENY')
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.include(response.header('content-security-policy'), "default-src 'self'")
    assert.include(response.header('content-security-policy'), "frame-ancestors 'none'")
    assert.match(response.header('strict-transport-security') ?? '', /max-age=/)
  })

  test('the design tokens are served from the npm package', async ({ client }) => {
    const response = await client.get('/assets/design-tokens.css')
    response.assertStatus(200)
    response.assertTextIncludes('--color-primitive-blue-900')
  })
})
