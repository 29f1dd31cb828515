import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient } from '@japa/api-client'
import AuditLog from '#models/audit_log'
import Clock, { FixedClock } from '#services/clock'
import CitizenPasswordResetMail from '#mails/citizen/citizen_password_reset_mail'
import { appUrl } from '#actions/citizen/send_citizen_verification'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { TEST_PASSWORD } from '#database/factories/user_factory'
import { freshIp, lastAudit } from '#tests/helpers'
import { Browser } from '#tests/instance_helpers'

type FakeMails = ReturnType<typeof mail.fake>['mails']

const FORGOT = '/citizen/password/forgot'
const NEW_PASSWORD = 'shiroi-kumo-ga-nagareru-2841'
const REQUESTED =
  '入力されたメールアドレスが登録されている場合は、パスワード再設定用のメールを送信しました。まもなく届きますので、1時間以内にメールのリンクを開いてください。'
const EXPIRED =
  'このリンクは有効期限（1時間）が切れています。お手数ですが、もう一度再設定の申込みをしてください。'
const USED =
  'このリンクは既に使われたか、より新しいリンクで再設定されたため使えません。パスワードが分からない場合は、もう一度再設定の申込みをしてください。'
const THROTTLED =
  'パスワード再設定の申込みが多すぎます。しばらく時間をおいてから再度お試しください。'
const TOO_SHORT = '新しいパスワードは12文字以上で入力してください'
const COMMON =
  'このパスワードはよく使われているか、流出したことが知られているため使えません。推測されにくい別のパスワードにしてください'

const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

function requestReset(client: ApiClient, email: string, ip = freshIp()) {
  return client
    .post(FORGOT)
    .header('x-forwarded-for', ip)
    .header('referer', FORGOT)
    .form({ email })
    .withCsrfToken()
    .redirects(0)
}

function setPassword(client: ApiClient, path: string, password: string, confirmation = password) {
  return client
    .post(path)
    .header('x-forwarded-for', freshIp())
    .form({ password, password_confirmation: confirmation })
    .withCsrfToken()
    .redirects(0)
}

function login(client: ApiClient, email: string, password: string) {
  return client
    .post('/citizen/login')
    .header('x-forwarded-for', freshIp())
    .form({ email, password })
    .withCsrfToken()
    .redirects(0)
}

/** Path and query of the link in the newest reset mail to `to`, read from the mail's text. */
function linkFromMail(mails: FakeMails, to: string): string {
  const sent = mails.queued((m) => m instanceof CitizenPasswordResetMail && m.message.hasTo(to))
  if (!sent.length) throw new Error(`no reset mail to ${to}`)
  const text = String(sent[sent.length - 1].message.toJSON().message.text)
  const match = text.match(/https?:\/\/\S+/)
  if (!match) throw new Error('no link in the mail')
  const url = new URL(match[0])
  return `${url.pathname}${url.search}`
}

test.group('Citizen password reset', (group) => {
  let mails: FakeMails
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    mails = mail.fake().mails
    return () => mail.restore()
  })
  group.each.teardown(() => app.container.restore(Clock))

  test('the citizen login links to 「パスワードを忘れた方」, whose form asks for the e-mail', async ({
    client,
  }) => {
    const loginPage = await client.get('/citizen/login')
    loginPage.assertTextIncludes(`<a href="${FORGOT}">パスワードを忘れた方</a>`)
    const form = await client.get(FORGOT)
    form.assertStatus(200)
    form.assertTextIncludes('<h1>パスワードを忘れた方</h1>')
    form.assertTextIncludes(`action="${FORGOT}"`)
    form.assertTextIncludes('name="email"')
  })

  test('a registered and an unknown address get the same answer; only the registered one gets a mail', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'wasureta@example.jp', fullName: '忘却 花子' })
      .create()

    const known = await requestReset(client, ' Wasureta@Example.jp ')
    const unknown = await requestReset(client, 'dare-mo-inai@example.jp')
    for (const response of [known, unknown]) {
      response.assertStatus(302)
      response.assertHeader('location', FORGOT)
      response.assertFlashMessage('success', REQUESTED)
    }

    mails.assertQueuedCount(CitizenPasswordResetMail, 1)
    mails.assertQueued(CitizenPasswordResetMail, (sent) => {
      sent.message.assertTo('wasureta@example.jp')
      sent.message.assertSubject('【台帳】パスワードの再設定')
      sent.message.assertTextIncludes('1時間有効、1回限り')
      assert.notInclude(JSON.stringify(sent.message.toJSON().message), '花子')
      return true
    })
    mails.assertNotQueued(CitizenPasswordResetMail, (sent) =>
      sent.message.hasTo('dare-mo-inai@example.jp')
    )

    const link = new URL(linkFromMail(mails, 'wasureta@example.jp'), appUrl())
    assert.equal(link.pathname, `/citizen/password/reset/${citizen.id}`)
    assert.isString(link.searchParams.get('signature'))
    const hoursLeft = (Number(link.searchParams.get('e')) * 1000 - Date.now()) / 3_600_000
    assert.closeTo(hoursLeft, 1, 0.01)

    // Both requests are audited; neither entry holds the address.
    const audits = await AuditLog.query()
      .where('action', 'citizen.password_reset_requested')
      .orderBy('id', 'asc')
    assert.deepEqual(
      audits.map((audit) => [audit.subjectId, audit.details]),
      [
        [String(citizen.id), JSON.stringify({ sent: true })],
        [null, JSON.stringify({ sent: false })],
      ]
    )
    assert.notInclude(JSON.stringify(audits.map((audit) => audit.serialize())), 'example.jp')

    const page = await client.get(FORGOT).withFlashMessages({ success: REQUESTED })
    page.assertTextIncludes(REQUESTED)
  })

  test('the link opens the form; a new password logs the citizen in, ends the other sessions and is audited', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'reset@example.jp' })
      .create()

    // Logged in in another browser with the old password.
    const elsewhere = new Browser()
    const loginForm = await elsewhere.csrfToken(`${baseUrl()}/citizen/login`)
    const loggedIn = await elsewhere.request(`${baseUrl()}/citizen/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': freshIp(),
      },
      body: new URLSearchParams({
        _csrf: loginForm,
        email: 'reset@example.jp',
        password: TEST_PASSWORD,
      }).toString(),
    })
    assert.equal(loggedIn.headers.get('location'), '/citizen')
    const before = await elsewhere.request(`${baseUrl()}/citizen`)
    assert.equal(before.status, 200)

    await requestReset(client, 'reset@example.jp')
    const link = linkFromMail(mails, 'reset@example.jp')

    const form = await client.get(link)
    form.assertStatus(200)
    form.assertTextIncludes('<h1>新しいパスワードの設定</h1>')
    form.assertTextIncludes(`action="${link.replaceAll('&', '&amp;')}"`)
    form.assertTextIncludes('autocomplete="new-password"')

    const done = await setPassword(client, link, NEW_PASSWORD)
    done.assertStatus(302)
    done.assertHeader('location', '/citizen')
    done.assertSession('auth_citizen', citizen.id)
    done.assertFlashMessage(
      'success',
      'パスワードを再設定しました。ほかの端末でのログインは終了しました。'
    )

    await citizen.refresh()
    assert.isTrue(await hash.verify(citizen.password, NEW_PASSWORD))
    const audit = await lastAudit('citizen.password_reset')
    assert.equal(audit?.subjectId, String(citizen.id))
    assert.equal(audit?.actorLabel, `citizen#${citizen.id}`)
    assert.include(audit?.changedFields ?? '', 'password')

    const after = await elsewhere.request(`${baseUrl()}/citizen`)
    assert.equal(after.status, 302, 'the other browser is logged out')
    assert.equal(after.headers.get('location'), '/citizen/login')

    const withNew = await login(client, 'reset@example.jp', NEW_PASSWORD)
    withNew.assertHeader('location', '/citizen')
    const old = await login(client, 'reset@example.jp', TEST_PASSWORD)
    old.assertFlashMessage('loginError', 'メールアドレスまたはパスワードが正しくありません。')
  })

  test('a used link is refused, and so is a link sent before another one was used', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'once@example.jp' })
      .create()
    await requestReset(client, 'once@example.jp')
    const first = linkFromMail(mails, 'once@example.jp')
    // Five minutes later, a second request: another link.
    app.container.swap(Clock, () => new FixedClock(DateTime.now().plus({ minutes: 5 })))
    await requestReset(client, 'once@example.jp')
    const second = linkFromMail(mails, 'once@example.jp')
    assert.notEqual(first, second)

    const used = await setPassword(client, second, NEW_PASSWORD)
    used.assertHeader('location', '/citizen')

    for (const link of [second, first]) {
      const again = await client.get(link)
      again.assertStatus(410)
      again.assertTextIncludes(USED)
      again.assertTextIncludes(`href="${FORGOT}"`)
      const post = await setPassword(client, link, 'mou-ichido-kaeru-password-99')
      post.assertStatus(410)
    }
    await citizen.refresh()
    assert.isTrue(await hash.verify(citizen.password, NEW_PASSWORD))
    const refused = await lastAudit('citizen.password_reset_refused')
    assert.equal(refused?.subjectId, String(citizen.id))
    assert.equal(refused?.details, JSON.stringify({ reason: 'used' }))
  })

  test('after one hour (the Clock of the container) the link has expired, with a Japanese message', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'late@example.jp' })
      .create()
    await requestReset(client, 'late@example.jp')
    const link = linkFromMail(mails, 'late@example.jp')

    app.container.swap(Clock, () => new FixedClock(DateTime.now().plus({ minutes: 59 })))
    const inTime = await client.get(link)
    inTime.assertStatus(200)

    app.container.swap(Clock, () => new FixedClock(DateTime.now().plus({ minutes: 61 })))
    const expired = await client.get(link)
    expired.assertStatus(410)
    expired.assertTextIncludes('パスワード再設定用のリンクが使えません')
    expired.assertTextIncludes(EXPIRED)
    const post = await setPassword(client, link, NEW_PASSWORD)
    post.assertStatus(410)
    post.assertTextIncludes(EXPIRED)
    await citizen.refresh()
    assert.isTrue(await hash.verify(citizen.password, TEST_PASSWORD))
    const refused = await lastAudit('citizen.password_reset_refused')
    assert.equal(refused?.details, JSON.stringify({ reason: 'expired' }))
  })

  test('an altered link is refused with 403', async ({ client }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'alter@example.jp' })
      .create()
    const other = await CitizenFactory.apply('verified').create()
    await requestReset(client, 'alter@example.jp')
    const link = linkFromMail(mails, 'alter@example.jp')
    const later = Math.floor(Date.now() / 1000) + 86_400
    for (const path of [
      link.replace(`/reset/${citizen.id}?`, `/reset/${other.id}?`),
      link.replace(/e=\d+/, `e=${later}`),
      link.replace(/&?signature=[^&]+/, ''),
    ]) {
      const response = await client.get(path)
      response.assertStatus(403)
      response.assertTextIncludes('このリンクは正しくありません。')
    }
  })

  test('a weak or unconfirmed password is refused in Japanese on the form, and the link still works', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified')
      .merge({ email: 'weak@example.jp' })
      .create()
    await requestReset(client, 'weak@example.jp')
    const link = linkFromMail(mails, 'weak@example.jp')

    const short = await setPassword(client, link, 'short-pass')
    short.assertStatus(302)
    short.assertHeader('location', link)
    short.assertFlashMessage('inputErrorsBag', { password: [TOO_SHORT] })

    const common = await setPassword(client, link, 'password1234')
    common.assertFlashMessage('inputErrorsBag', { password: [COMMON] })

    const mismatch = await setPassword(client, link, NEW_PASSWORD, 'something-else-entirely')
    mismatch.assertHeader('location', link)
    assert.property(mismatch.flashMessages().inputErrorsBag, 'password_confirmation')

    const form = await client.get(link).withFlashMessages(short.flashMessages())
    form.assertTextIncludes(TOO_SHORT)
    form.assertTextIncludes('aria-invalid="true"')

    await citizen.refresh()
    assert.isTrue(await hash.verify(citizen.password, TEST_PASSWORD))
    const strong = await setPassword(client, link, NEW_PASSWORD)
    strong.assertHeader('location', '/citizen')
  })

  test('requests are limited per e-mail address (3 an hour) and per IP address (10 in 15 minutes): 429 in Japanese', async ({
    client,
  }) => {
    await CitizenFactory.apply('verified').merge({ email: 'many@example.jp' }).create()
    for (let attempt = 0; attempt < 3; attempt++) {
      const accepted = await requestReset(client, 'many@example.jp')
      accepted.assertStatus(302)
    }
    const perAddress = await requestReset(client, 'MANY@example.jp')
    perAddress.assertStatus(429)
    perAddress.assertTextIncludes(THROTTLED)
    mails.assertQueuedCount(CitizenPasswordResetMail, 3)

    // The same limit for an address nobody registered: it tells nothing.
    for (let attempt = 0; attempt < 3; attempt++) {
      const unknownAccepted = await requestReset(client, 'nobody-here@example.jp')
      unknownAccepted.assertStatus(302)
    }
    const unknownRefused = await requestReset(client, 'nobody-here@example.jp')
    unknownRefused.assertStatus(429)

    const ip = freshIp()
    for (let attempt = 0; attempt < 10; attempt++) {
      const accepted = await requestReset(client, `ip${attempt}@example.jp`, ip)
      accepted.assertStatus(302)
    }
    const perIp = await requestReset(client, 'ip-last@example.jp', ip)
    perIp.assertStatus(429)
    perIp.assertTextIncludes(THROTTLED)
  })

  test('resetting an unconfirmed account confirms the address (the link was opened in that mailbox)', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.merge({ email: 'pending@example.jp' }).create()
    await requestReset(client, 'pending@example.jp')
    const reset = await setPassword(client, linkFromMail(mails, 'pending@example.jp'), NEW_PASSWORD)
    reset.assertHeader('location', '/citizen')
    await citizen.refresh()
    assert.isTrue(DateTime.isDateTime(citizen.emailVerifiedAt))
    const loggedIn = await login(client, 'pending@example.jp', NEW_PASSWORD)
    loggedIn.assertHeader('location', '/citizen')
  })

  test('a bad address on the request form comes back with a Japanese message and what was typed', async ({
    client,
  }) => {
    const response = await requestReset(client, 'not-an-address')
    response.assertStatus(302)
    response.assertHeader('location', FORGOT)
    const page = await client.get(FORGOT).withFlashMessages(response.flashMessages())
    page.assertTextIncludes('value="not-an-address"')
    page.assertTextIncludes('class="field-error"')
    mails.assertNoneQueued()
  })
})
