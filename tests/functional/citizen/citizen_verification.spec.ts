import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import hash from '@adonisjs/core/services/hash'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient } from '@japa/api-client'
import Citizen from '#models/citizen'
import CitizenVerificationMail, {
  CitizenAlreadyRegisteredMail,
} from '#mails/citizen/citizen_verification_mail'
import { appUrl, makeVerificationUrl } from '#actions/citizen/send_citizen_verification'
import fieldEncryption from '#services/field_encryption'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { TEST_PASSWORD } from '#database/factories/user_factory'
import { freshIp, lastAudit } from '#tests/helpers'
import DemoData, { DEMO_PASSWORD } from '#database/demo/demo_data'

type FakeMails = ReturnType<typeof mail.fake>['mails']

const SENT_PAGE = '/citizen/register/sent'
const UNVERIFIED_MESSAGE =
  'メールアドレスの確認が済んでいません。登録時にお送りしたメールのリンクを開いてください。メールが見つからない場合は、確認メールを再送できます。'
const RESENT_MESSAGE =
  '確認が済んでいない登録がある場合は、入力されたメールアドレスへの確認メールの送信を受け付けました。まもなく届きますので、メールをご確認ください。'

function register(
  client: ApiClient,
  email: string,
  password = 'ten-chars-ok',
  fullName = '確認 花子'
) {
  return client
    .post('/citizen/register')
    .header('x-forwarded-for', freshIp())
    .withCsrfToken()
    .form({ fullName, email, password, password_confirmation: password })
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

function resend(client: ApiClient, email: string, ip = freshIp()) {
  return client
    .post('/citizen/verification/resend')
    .header('x-forwarded-for', ip)
    .form({ email })
    .withCsrfToken()
    .redirects(0)
}

/** The link in the newest verification mail sent to `to`, read from the mail's text. */
function linkFromMail(mails: FakeMails, to: string): URL {
  const sent = mails.queued((m) => m instanceof CitizenVerificationMail && m.message.hasTo(to))
  if (!sent.length) throw new Error(`no verification mail to ${to}`)
  const text = String(sent[sent.length - 1].message.toJSON().message.text)
  const match = text.match(/https?:\/\/\S+/)
  if (!match) throw new Error('no link in the mail')
  return new URL(match[0])
}

const pathOf = (url: URL | string) => {
  const parsed = typeof url === 'string' ? new URL(url) : url
  return `${parsed.pathname}${parsed.search}`
}

function countByEmail(email: string) {
  return db
    .from('citizens')
    .where('email_index', fieldEncryption.emailIndex(email))
    .count('* as total')
    .first()
}

test.group('Citizen email verification', (group) => {
  let mails: FakeMails
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    mails = mail.fake().mails
    return () => mail.restore()
  })

  test('registration mails a verification link, does not log in, and login waits for the link', async ({
    client,
    assert,
  }) => {
    const response = await register(client, 'kakunin@example.jp')
    response.assertStatus(302)
    response.assertHeader('location', SENT_PAGE)
    response.assertSessionMissing('auth_citizen')

    const citizen = await Citizen.findByEmail('kakunin@example.jp')
    assert.isNotNull(citizen)
    assert.isNull(citizen!.emailVerifiedAt)

    mails.assertQueuedCount(CitizenVerificationMail, 1)
    mails.assertQueued(CitizenVerificationMail, (sent) => {
      sent.message.assertTo('kakunin@example.jp')
      sent.message.assertSubject('【台帳】メールアドレスの確認')
      sent.message.assertTextIncludes('24時間有効')
      sent.message.assertTextIncludes(sent.verificationUrl)
      // No personal data besides the address it goes to.
      assert.notInclude(JSON.stringify(sent.message.toJSON().message), '花子')
      return true
    })
    const link = linkFromMail(mails, 'kakunin@example.jp')
    assert.equal(link.origin, new URL(appUrl()).origin)
    assert.equal(link.pathname, `/citizen/verify/${citizen!.id}`)
    assert.isString(link.searchParams.get('signature'))

    // The link expires after 24 hours (the expiry is inside the signed payload).
    const payload = JSON.parse(
      Buffer.from(link.searchParams.get('signature')!.split('.')[0], 'base64url').toString()
    )
    const hoursLeft = (new Date(payload.expiryDate).getTime() - Date.now()) / 3_600_000
    assert.closeTo(hoursLeft, 24, 0.1)

    const page = await client.get(SENT_PAGE)
    page.assertStatus(200)
    page.assertTextIncludes('メールの送信を受け付けました')

    const portal = await client.get('/citizen').redirects(0)
    portal.assertHeader('location', '/citizen/login')

    const refused = await login(client, 'kakunin@example.jp', 'ten-chars-ok')
    refused.assertHeader('location', '/citizen/login')
    refused.assertFlashMessage('loginError', UNVERIFIED_MESSAGE)
    refused.assertSessionMissing('auth_citizen')
  })

  test('the link from the mail verifies the address and logs the citizen in, once', async ({
    client,
    assert,
  }) => {
    await register(client, 'link@example.jp')
    const citizen = (await Citizen.findByEmail('link@example.jp'))!
    const link = linkFromMail(mails, 'link@example.jp')

    const response = await client.get(pathOf(link)).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/citizen')
    response.assertSession('auth_citizen', citizen.id)
    response.assertFlashMessage('success', 'メールアドレスを確認しました。登録が完了しました。')

    await citizen.refresh()
    assert.isTrue(DateTime.isDateTime(citizen.emailVerifiedAt))
    const audit = await lastAudit('citizen.verify_email')
    assert.equal(audit?.subjectId, String(citizen.id))
    assert.equal(audit?.actorLabel, `citizen#${citizen.id}`)
    assert.notInclude(JSON.stringify(audit!.serialize()), 'link@example.jp')

    const loggedIn = await login(client, 'link@example.jp', 'ten-chars-ok')
    loggedIn.assertHeader('location', '/citizen')

    // Used again, the link is no login link: it sends the citizen to the login form.
    const again = await client.get(pathOf(link)).redirects(0)
    again.assertHeader('location', '/citizen/login')
    again.assertSessionMissing('auth_citizen')
    again.assertFlashMessage('success', 'このメールアドレスは確認済みです。ログインしてください。')
  })

  test('a tampered link is refused with a Japanese page and a resend form', async ({
    client,
    assert,
  }) => {
    await register(client, 'tamper@example.jp')
    const citizen = (await Citizen.findByEmail('tamper@example.jp'))!
    const other = await CitizenFactory.create()
    const link = linkFromMail(mails, 'tamper@example.jp')

    const signature = link.searchParams.get('signature')!
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A')
    const tampered = [
      pathOf(link).replace(`/citizen/verify/${citizen.id}`, `/citizen/verify/${other.id}`),
      pathOf(link).replace(signature, flipped),
      pathOf(link).replace(/v=[0-9a-f]+/, 'v=0000000000000000'),
      `/citizen/verify/${citizen.id}?v=${link.searchParams.get('v')}`,
      `/citizen/verify/${citizen.id}`,
    ]
    for (const path of tampered) {
      const response = await client.get(path).redirects(0)
      response.assertStatus(403)
      response.assertTextIncludes('確認用リンクが無効です')
      response.assertTextIncludes('action="/citizen/verification/resend"')
      response.assertSessionMissing('auth_citizen')
    }
    await citizen.refresh()
    await other.refresh()
    assert.isNull(citizen.emailVerifiedAt)
    assert.isNull(other.emailVerifiedAt)

    // The untouched link still works.
    const genuine = await client.get(pathOf(link)).redirects(0)
    genuine.assertHeader('location', '/citizen')
  })

  test('an expired link is refused', async ({ client, assert }) => {
    const citizen = await CitizenFactory.create()
    const expiring = makeVerificationUrl(citizen, 1)
    await sleep(20)
    const response = await client.get(pathOf(expiring)).redirects(0)
    response.assertStatus(403)
    response.assertTextIncludes('有効期限（24時間）が切れているか')
    await citizen.refresh()
    assert.isNull(citizen.emailVerifiedAt)

    // The same link with time left is accepted.
    const fresh = await client.get(pathOf(makeVerificationUrl(citizen, '1h'))).redirects(0)
    fresh.assertHeader('location', '/citizen')
  })

  test('an unverified login is refused with the message and a resend link; a wrong password says nothing more', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.create()

    const refused = await login(client, citizen.email, TEST_PASSWORD)
    refused.assertHeader('location', '/citizen/login')
    refused.assertFlashMessage('loginError', UNVERIFIED_MESSAGE)
    refused.assertSessionMissing('auth_citizen')
    const audit = await lastAudit('auth.login_refused')
    assert.equal(audit?.subjectId, String(citizen.id))

    const page = await client
      .get('/citizen/login')
      .withFlashMessages({ loginError: UNVERIFIED_MESSAGE, unverified: true })
    page.assertTextIncludes(UNVERIFIED_MESSAGE)
    page.assertTextIncludes('href="/citizen/verification/resend"')

    const wrong = await login(client, citizen.email, 'not-the-password')
    wrong.assertFlashMessage('loginError', 'メールアドレスまたはパスワードが正しくありません。')
    wrong.assertFlashMissing('unverified')

    await citizen.merge({ emailVerifiedAt: DateTime.now() }).save()
    const allowed = await login(client, citizen.email, TEST_PASSWORD)
    allowed.assertHeader('location', '/citizen')
  })

  test('registering a verified address shows the same page, creates nothing and tells only the mailbox', async ({
    client,
    assert,
  }) => {
    const existing = await CitizenFactory.apply('verified')
      .merge({ email: 'taken@example.jp', fullName: '既存 一郎' })
      .create()
    const fresh = await register(client, 'new-one@example.jp')
    const duplicate = await register(client, ' Taken@Example.jp ', 'other-password', '別人 二郎')

    assert.equal(duplicate.status(), fresh.status())
    assert.equal(duplicate.header('location'), fresh.header('location'))
    duplicate.assertHeader('location', SENT_PAGE)
    duplicate.assertFlashMissing('errors')
    duplicate.assertSessionMissing('auth_citizen')

    const taken = await countByEmail('taken@example.jp')
    assert.equal(Number(taken?.total), 1)
    await existing.refresh()
    assert.equal(existing.fullName, '既存 一郎')
    assert.isTrue(await hash.verify(existing.password, TEST_PASSWORD))

    mails.assertQueued(CitizenAlreadyRegisteredMail, (sent) =>
      sent.message.hasTo('taken@example.jp')
    )
    mails.assertNotQueued(CitizenVerificationMail, (sent) => sent.message.hasTo('taken@example.jp'))
    mails.assertQueued(CitizenVerificationMail, (sent) => sent.message.hasTo('new-one@example.jp'))
    assert.isNotNull(await lastAudit('citizen.register_existing'))
  })

  test('registering a still-unverified address again replaces the pending data; only the newest link works', async ({
    client,
    assert,
  }) => {
    await register(client, 'pending@example.jp', 'first-password', '最初 太郎')
    const firstLink = linkFromMail(mails, 'pending@example.jp')
    const again = await register(client, 'pending@example.jp', 'second-password', '二回目 太郎')
    again.assertHeader('location', SENT_PAGE)

    const pending = await countByEmail('pending@example.jp')
    assert.equal(Number(pending?.total), 1)
    mails.assertQueuedCount(CitizenVerificationMail, 2)
    const secondLink = linkFromMail(mails, 'pending@example.jp')
    assert.notEqual(secondLink.href, firstLink.href)

    const stale = await client.get(pathOf(firstLink)).redirects(0)
    stale.assertStatus(403)

    const verified = await client.get(pathOf(secondLink)).redirects(0)
    verified.assertHeader('location', '/citizen')
    const citizen = (await Citizen.findByEmail('pending@example.jp'))!
    assert.equal(citizen.fullName, '二回目 太郎')
    const redirected = await login(client, 'pending@example.jp', 'second-password')
    redirected.assertHeader('location', '/citizen')
    const refused = await login(client, 'pending@example.jp', 'first-password')
    refused.assertFlashMessage('loginError', 'メールアドレスまたはパスワードが正しくありません。')
  })

  test('resend mails a new link only for an unverified account, with the same answer for any address', async ({
    client,
    assert,
  }) => {
    const pending = await CitizenFactory.merge({ email: 'resend@example.jp' }).create()
    await CitizenFactory.apply('verified').merge({ email: 'done@example.jp' }).create()

    const form = await client.get('/citizen/verification/resend')
    form.assertStatus(200)
    form.assertTextIncludes('確認メールの再送')

    const responses = [
      await resend(client, 'resend@example.jp'),
      await resend(client, 'nobody@example.jp'),
      await resend(client, 'done@example.jp'),
    ]
    for (const response of responses) {
      response.assertStatus(302)
      response.assertHeader('location', '/citizen/verification/resend')
      response.assertFlashMessage('success', RESENT_MESSAGE)
    }
    mails.assertQueuedCount(CitizenVerificationMail, 1)
    mails.assertQueued(CitizenVerificationMail, (sent) => sent.message.hasTo('resend@example.jp'))
    mails.assertNotQueued(CitizenAlreadyRegisteredMail)
    assert.isNotNull(await lastAudit('citizen.verification_resent'))

    const verified = await client.get(pathOf(linkFromMail(mails, 'resend@example.jp'))).redirects(0)
    verified.assertHeader('location', '/citizen')
    verified.assertSession('auth_citizen', pending.id)
  })

  test('resend is rate-limited like login (10 a minute per IP, then 429)', async ({ client }) => {
    const ip = freshIp()
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await resend(client, `r${attempt}@example.jp`, ip)
      response.assertStatus(302)
    }
    const throttled = await resend(client, 'resend@example.jp', ip)
    throttled.assertStatus(429)
    throttled.assertTextIncludes('試行回数が多すぎます')
    mails.assertNoneQueued()
  })

  test('the demo citizen of the README is verified and can log in', async ({ client, assert }) => {
    assert.equal(await DemoData.load({ inProduction: false }), 'loaded')
    const demo = await Citizen.findByEmail('citizen@demo.daicho.jp')
    assert.isNotNull(demo?.emailVerifiedAt)
    const response = await login(client, 'citizen@demo.daicho.jp', DEMO_PASSWORD)
    response.assertHeader('location', '/citizen')
  })
})
