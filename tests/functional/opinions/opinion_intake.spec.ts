import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import { DateTime, Settings } from 'luxon'
import Opinion from '#models/opinion'
import Topic from '#models/topic'
import OpinionCitizenNoticeMail from '#mails/opinions/opinion_citizen_notice_mail'
import Clock, { FixedClock } from '#services/clock'
import { freshIp, lastAudit } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

async function countOpinions(citizenId?: number) {
  const query = Opinion.query()
  if (citizenId) query.where('citizenId', citizenId)
  const [row] = await query.count('* as total')
  return Number(row.$extras.total)
}

/** A staff intake form as the browser sends it. */
const intake = (overrides: Record<string, unknown> = {}) => ({
  channel: 'letter',
  receivedAt: '2026-11-20T10:00',
  kind: 'request',
  subject: '駐輪場の増設について',
  body: '駅前の駐輪場が足りません。増設を要望します。',
  replyWanted: '1',
  replyMethod: 'letter',
  submitterName: '申出 一郎',
  submitterAddress: '東京都新宿区歌舞伎町1-4-1',
  ...overrides,
})

test.group('Opinions: citizen portal and anonymous box', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a citizen submits through the portal; the data is encrypted, the mail only says it was received', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { citizen } = await opinionScene()
    // Friday 2026-11-20 10:00 in the ward; Monday 11/23 is 勤労感謝の日.
    Settings.now = () => Date.parse('2026-11-20T10:00:00+09:00')
    cleanup(() => {
      Settings.now = () => Date.now()
    })
    const { mails } = mail.fake()
    const response = await client
      .post('/citizen/opinions')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .form({
        kind: 'inquiry',
        subject: '防災訓練の日程',
        body: '今年の防災訓練はいつですか。',
        replyWanted: '1',
        replyMethod: 'portal',
      })
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.query().where('citizenId', citizen.id).firstOrFail()
    assert.equal(opinion.channel, 'web')
    assert.isTrue(opinion.replyWanted)
    assert.equal(opinion.replyMethod, 'portal')
    assert.equal(opinion.submitterName, '区民 花子')
    assert.equal(opinion.submitterEmail, citizen.email)
    assert.equal(opinion.dueOn!.toISODate(), '2026-12-11', '14 open days counted by the calendar')
    const raw = await db.from('opinions').where('id', opinion.id).firstOrFail()
    assert.notInclude(raw.submitter_name, '花子', 'stored encrypted')
    assert.notInclude(raw.submitter_email, '@')
    assert.isString(raw.name_index)

    const [sent] = mails.queued(
      (message) =>
        message instanceof OpinionCitizenNoticeMail && message.message.hasTo(citizen.email)
    )
    assert.exists(sent)
    const text = String(sent.message.toJSON().message.text)
    assert.include(text, opinion.referenceNo)
    assert.notInclude(text, '防災訓練', 'no opinion text in the mail')

    const portal = await client.get('/citizen').withGuard('citizen').loginAs(citizen)
    portal.assertStatus(200)
    portal.assertTextIncludes('防災訓練の日程')
    portal.assertTextIncludes('受付')
  })

  test('the due date is 14 open days after receipt, whatever the day of submission', async ({
    client,
    assert,
  }) => {
    const { citizen } = await opinionScene()
    mail.fake()
    await client
      .post('/citizen/opinions')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .form({ kind: 'opinion', subject: '意見', body: '本文' })
      .redirects(0)
    const opinion = await Opinion.query().where('citizenId', citizen.id).firstOrFail()
    assert.isFalse(opinion.replyWanted)
    assert.isNull(opinion.dueOn, 'no reply wanted, no due date')
  })

  test('reply by letter needs an address; the form says so in Japanese and keeps the input', async ({
    client,
    assert,
  }) => {
    const { citizen } = await opinionScene()
    const response = await client
      .post('/citizen/opinions')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .header('referer', '/citizen/opinions/create')
      .form({
        kind: 'request',
        subject: '件名です',
        body: '本文です',
        replyWanted: '1',
        replyMethod: 'letter',
      })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errors', {
      submitterAddress: ['郵送で回答する場合は住所を入力してください。'],
    })
    assert.equal(await countOpinions(citizen.id), 0)
  })

  test('a citizen reads only their own submissions; another citizen gets 404', async ({
    client,
  }) => {
    const { citizen, otherCitizen } = await opinionScene()
    const own = await makeOpinion({ citizenId: citizen.id, channel: 'web', subject: '自分の意見' })
    const ok = await client.get(`/citizen/opinions/${own.id}`).withGuard('citizen').loginAs(citizen)
    ok.assertStatus(200)
    const notFound = await client
      .get(`/citizen/opinions/${own.id}`)
      .withGuard('citizen')
      .loginAs(otherCitizen)
    notFound.assertStatus(404)
    const list = await client.get('/citizen').withGuard('citizen').loginAs(otherCitizen)
    list.assertTextIncludes('まだありません')
  })

  test('the portal needs a citizen login', async ({ client }) => {
    const response = await client.get('/citizen/opinions/create').redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/citizen/login')
  })

  test('an anonymous opinion without an account: no personal data, no reply, a reference number', async ({
    client,
    assert,
  }) => {
    await opinionScene()
    const response = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .withCsrfToken()
      .form({ kind: 'proposal', subject: 'ベンチを増やしてほしい', body: '公園にベンチを。' })
    response.assertStatus(200)
    const opinion = await Opinion.query().where('subject', 'ベンチを増やしてほしい').firstOrFail()
    assert.isTrue(opinion.anonymous)
    assert.isFalse(opinion.replyWanted)
    assert.isNull(opinion.dueOn)
    assert.isFalse(opinion.hasPersonalData)
    response.assertTextIncludes(opinion.referenceNo)
    response.assertTextIncludes('回答はいたしません')
  })

  test('the anonymous form rejects an empty subject with a Japanese message', async ({
    client,
  }) => {
    const response = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .header('referer', '/voice')
      .withCsrfToken()
      .form({ kind: 'opinion', subject: '', body: '本文' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { subject: ['件名を入力してください'] })
  })
})

test.group('Opinions: staff intake', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a letter is taken in with its received date; the due date counts 14 open days from it', async ({
    client,
    assert,
  }) => {
    const { operator, tree } = await opinionScene()
    mail.fake()
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(intake({ 'departmentIds[]': [String(tree.kikikanri.id)] }))
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.query()
      .where('subject', '駐輪場の増設について')
      .preload('assignments')
      .firstOrFail()
    assert.equal(opinion.channel, 'letter')
    assert.equal(
      opinion.receivedAt.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
      '2026-11-20 10:00'
    )
    // 11/20 (Fri) + 14 open days, skipping 11/23 勤労感謝の日 and two weekends → 12/11
    assert.equal(opinion.dueOn!.toISODate(), '2026-12-11')
    assert.isNull(opinion.handoverAt, 'received while the departments were open')
    assert.equal(opinion.fiscalYear, 2026)
    assert.equal(opinion.receivedMonth, '2026-11')
    assert.equal(opinion.status, 'forwarded')
    assert.equal(opinion.leadDepartmentId, tree.kikikanri.id)
    assert.lengthOf(opinion.assignments, 1)
    const audit = await lastAudit('opinion.intake')
    assert.include(audit!.changedFields, 'submitterName')
    assert.notInclude(JSON.stringify(audit!.toJSON()), '申出 一郎')
  })

  test('every staff channel can be taken in', async ({ client, assert }) => {
    const { operator } = await opinionScene()
    for (const channel of ['letter', 'postcard', 'email', 'fax', 'counter']) {
      const response = await client
        .post('/opinions')
        .loginAs(operator)
        .withCsrfToken()
        .form(intake({ channel, subject: `経路 ${channel}`, replyWanted: '', replyMethod: '' }))
        .redirects(0)
      response.assertStatus(302)
      const taken = await Opinion.findByOrFail('subject', `経路 ${channel}`)
      assert.equal(taken.channel, channel)
    }
  })

  test('a call after 17:15 is handed over to the departments on the next open day at 8:30', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    // Saturday 2026-11-21 20:00: the call center is open, the departments are not; Monday 11/23 is a holiday.
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(
        intake({
          channel: 'call_center',
          receivedAt: '2026-11-21T20:00',
          replyMethod: 'phone',
          submitterName: '電話 花子',
          submitterPhone: '090-1111-2222',
          submitterAddress: '',
          personalDataConsent: '1',
          consentPurposes: ['reply'],
        })
      )
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.query()
      .where('channel', 'call_center')
      .preload('events')
      .firstOrFail()
    assert.equal(
      opinion.handoverAt!.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
      '2026-11-24 08:30'
    )
    assert.deepEqual(
      opinion.events.map((event) => event.kind),
      ['received', 'handed_over']
    )
    assert.isTrue(opinion.collectedByCallCenter)
    assert.equal(
      opinion.personalDataExpiresOn!.toISODate(),
      '2027-11-22',
      'kept one year (through 2027-11-21), deleted the day after'
    )
    assert.equal(opinion.submitterPhone, '090-1111-2222')
  })

  test('the call center is closed after 22:00 and on 1/1-1/3: the intake is refused with the hours', async ({
    client,
  }) => {
    const { operator } = await opinionScene()
    for (const receivedAt of ['2026-11-20T22:30', '2026-01-02T10:00', '2026-11-20T07:59']) {
      const response = await client
        .post('/opinions')
        .loginAs(operator)
        .withCsrfToken()
        .header('referer', '/opinions/create')
        .form(
          intake({
            channel: 'call_center',
            receivedAt,
            submitterPhone: '090-1111-2222',
            replyMethod: 'phone',
          })
        )
        .redirects(0)
      response.assertFlashMessage('errors', {
        receivedAt: ['コールセンターの受付時間外です（毎日8:00〜22:00、1月1日〜3日は休業）。'],
      })
    }
  })

  test('a caller who wants a reply from a department must leave a daytime phone number', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .header('referer', '/opinions/create')
      .form(
        intake({ channel: 'call_center', receivedAt: '2026-11-20T18:00', replyMethod: 'letter' })
      )
      .redirects(0)
    response.assertFlashMessage('errors', {
      submitterPhone: ['コールセンターで回答希望を受けた場合は日中の電話番号を入力してください。'],
    })
    assert.equal(await countOpinions(), 0)
  })

  test('an anonymous intake keeps no personal data even if typed in', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(intake({ anonymous: '1', submitterName: '書いてしまった名前' }))
      .redirects(0)
    const opinion = await Opinion.firstOrFail()
    assert.isTrue(opinion.anonymous)
    assert.isNull(opinion.submitterName)
    assert.isFalse(opinion.replyWanted)
  })

  test('a future received date is refused', async ({ client }) => {
    const { operator } = await opinionScene()
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .header('referer', '/opinions/create')
      .form(intake({ receivedAt: DateTime.now().plus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm") }))
      .redirects(0)
    response.assertFlashMessage('errors', {
      receivedAt: ['受付日時に未来の日時は入力できません。'],
    })
  })

  test('a JSON client gets the refusal as 422 with the Japanese message; the date is read from the injected clock', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    // 9:00 on the ward's clock: a letter stamped 10:00 the same day is still in the future.
    app.container.swap(
      Clock,
      () => new FixedClock(DateTime.fromISO('2026-11-20T09:00', { zone: 'Asia/Tokyo' }))
    )
    try {
      const response = await client
        .post('/opinions')
        .loginAs(operator)
        .withCsrfToken()
        .header('accept', 'application/json')
        .form(intake({ receivedAt: '2026-11-20T10:00' }))
        .redirects(0)
      response.assertStatus(422)
      assert.deepEqual(response.body().errors, [
        {
          field: 'receivedAt',
          message: '受付日時に未来の日時は入力できません。',
          code: 'opinions.errors.received_in_future',
        },
      ])
    } finally {
      app.container.restore(Clock)
    }
    assert.equal(await countOpinions(), 0, 'nothing saved')
  })

  test('only the opinion office takes in; department staff and contractors are refused', async ({
    client,
  }) => {
    const { kochoStaff, contractor } = await opinionScene()
    const kochoCreateForm = await client.get('/opinions/create').loginAs(kochoStaff)
    kochoCreateForm.assertStatus(403)
    const kochoIntake = await client
      .post('/opinions')
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form(intake())
    kochoIntake.assertStatus(403)
    const contractorList = await client.get('/opinions').loginAs(contractor)
    contractorList.assertStatus(403)
  })

  test('staff find a submitter by exact name or phone (blind index), and the search is audited', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    await makeOpinion({
      subject: '名前で探す意見',
      submitterName: '山田 太郎',
      submitterPhone: '03-1234-5678',
    })
    await makeOpinion({ subject: '別の人の意見', submitterName: '佐藤 花子' })
    const byName = await client.get('/opinions').qs({ name: '山田　太郎' }).loginAs(operator)
    byName.assertTextIncludes('名前で探す意見')
    assert.notInclude(byName.text(), '別の人の意見')
    const byPhone = await client
      .get('/opinions')
      .qs({ phone: '０３（１２３４）５６７８' })
      .loginAs(operator)
    byPhone.assertTextIncludes('名前で探す意見')
    assert.notInclude(byPhone.text(), '別の人の意見')
    const audit = await lastAudit('opinion.search_personal_data')
    assert.deepEqual(audit!.changedFieldList, ['phone'])
  })

  test('the list and the opinion page name each opinion’s topic', async ({ client, assert }) => {
    const { operator } = await opinionScene()
    const topic = await Topic.create({ code: 'perf_test', name: '試験の分類', sortOrder: 99 })
    const opinion = await makeOpinion({ subject: '分類のある意見', topicId: topic.id })
    const untopical = await makeOpinion({ subject: '分野のない意見', topicId: null })
    const list = await client.get('/opinions').loginAs(operator)
    list.assertTextIncludes('分類のある意見')
    list.assertTextIncludes('・試験の分類')
    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    assert.match(page.text(), /<dt>分野<\/dt>\s*<dd>試験の分類<\/dd>/)
    const none = await client.get(`/opinions/${untopical.id}`).loginAs(operator)
    assert.match(none.text(), /<dt>分野<\/dt>\s*<dd>—<\/dd>/)
  })

  test('reading the submitter of an opinion is audited with the field names only', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const opinion = await makeOpinion({
      submitterName: '監査 対象',
      submitterPhone: '03-0000-1111',
    })
    const response = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    response.assertStatus(200)
    response.assertTextIncludes('監査 対象')
    const audit = await lastAudit('opinion.view_personal_data')
    assert.includeMembers(audit!.changedFieldList, ['submitterName', 'submitterPhone'])
    assert.notInclude(JSON.stringify(audit!.toJSON()), '監査 対象')
  })

  test('full-text search finds two-character words in subject, body and replies', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    await makeOpinion({ subject: '防災について', body: '避難所の案内' })
    await makeOpinion({ subject: '自転車', body: '駅前の駐輪が多い' })
    await makeOpinion({ subject: 'ごみの収集', body: '収集日を知りたい' })
    const disaster = await client.get('/opinions').qs({ q: '防災' }).loginAs(operator)
    disaster.assertTextIncludes('防災について')
    assert.notInclude(disaster.text(), 'ごみの収集')
    const bicycle = await client.get('/opinions').qs({ q: '駐輪' }).loginAs(operator)
    bicycle.assertTextIncludes('自転車')
    assert.notInclude(bicycle.text(), '防災について')
  })
})
