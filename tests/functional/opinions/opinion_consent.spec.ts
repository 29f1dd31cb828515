import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Opinion from '#models/opinion'
import { lastAudit } from '#tests/helpers'
import { opinionScene } from '#tests/opinion_helpers'

/** An after-hours call (Saturday 2026-11-21 20:00) as the intake form sends it. */
const call = (overrides: Record<string, unknown> = {}) => ({
  'channel': 'call_center',
  'receivedAt': '2026-11-21T20:00',
  'kind': 'inquiry',
  'subject': 'ごみの収集日',
  'body': '年末のごみ収集日を知りたい。',
  'replyWanted': '1',
  'replyMethod': 'phone',
  'submitterName': '電話 花子',
  'submitterPhone': '090-1111-2222',
  'personalDataConsent': '1',
  'consentPurposes[]': ['reply', 'other'],
  'consentPurposeNote': '回答後に内容を確認する電話をすることがあると説明',
  ...overrides,
})

async function countOpinions() {
  const [row] = await Opinion.query().count('* as total')
  return Number(row.$extras.total)
}

test.group('Opinions: consent at call-center intake', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the intake form asks for the consent and the uses explained', async ({ client }) => {
    const { operator } = await opinionScene()
    const form = await client.get('/opinions/create').loginAs(operator)
    form.assertStatus(200)
    form.assertTextIncludes('個人情報の取得への同意（コールセンター）')
    form.assertTextIncludes('申出人が個人情報の提供に同意した')
    form.assertTextIncludes('担当課からの回答・連絡のため')
    form.assertTextIncludes('name="consentPurposeNote"')
  })

  test('a call with personal data records the consent and the uses explained; the opinion page shows them', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(call())
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.findByOrFail('channel', 'call_center')
    assert.isTrue(opinion.collectedByCallCenter)
    assert.isTrue(opinion.personalDataConsent)
    assert.deepEqual(opinion.consentPurposes, ['reply', 'other'])
    assert.equal(opinion.consentPurposeNote, '回答後に内容を確認する電話をすることがあると説明')
    const audit = await lastAudit('opinion.intake')
    assert.deepEqual(JSON.parse(audit!.details!).consent, ['reply', 'other'])

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    page.assertTextIncludes('個人情報の提供への同意')
    page.assertTextIncludes('同意あり（利用目的を説明済み）')
    page.assertTextIncludes('担当課からの回答・連絡のため、その他')
    page.assertTextIncludes('回答後に内容を確認する電話をすることがあると説明')
  })

  test('personal data without consent, without a use explained, or その他 without its explanation is refused in Japanese; nothing is saved, the input is kept', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { personalDataConsent: '' },
        'personalDataConsent',
        'コールセンターで個人情報を伺う場合は、申出人の同意を記録してください（同意が得られない場合は個人情報を入力しないでください）。',
      ],
      [
        { 'consentPurposes[]': [] },
        'consentPurposes',
        '申出人に説明した利用目的を選んでください。',
      ],
      [
        { 'consentPurposes[]': ['other'], 'consentPurposeNote': '' },
        'consentPurposeNote',
        '利用目的で「その他」を選んだ場合は、説明した内容を入力してください。',
      ],
      // Without a reply wanted, a name alone is still personal data.
      [
        {
          replyWanted: '',
          replyMethod: '',
          submitterPhone: '',
          personalDataConsent: '',
        },
        'personalDataConsent',
        'コールセンターで個人情報を伺う場合は、申出人の同意を記録してください（同意が得られない場合は個人情報を入力しないでください）。',
      ],
    ]
    for (const [overrides, field, message] of cases) {
      const response = await client
        .post('/opinions')
        .loginAs(operator)
        .withCsrfToken()
        .header('referer', '/opinions/create')
        .form(call(overrides))
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/opinions/create')
      response.assertFlashMessage('errors', { [field]: [message] })
      assert.equal(response.flashMessages().submitterName, '電話 花子', 'the input is kept')
      const form = await client
        .get('/opinions/create')
        .loginAs(operator)
        .withFlashMessages(response.flashMessages())
      form.assertTextIncludes(message)
    }
    assert.equal(await countOpinions(), 0)
  })

  test('a call without personal data needs no consent; other channels are not asked', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const anonymousCall = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(
        call({
          'replyWanted': '',
          'replyMethod': '',
          'submitterName': '',
          'submitterPhone': '',
          'personalDataConsent': '',
          'consentPurposes[]': [],
          'consentPurposeNote': '',
        })
      )
      .redirects(0)
    anonymousCall.assertStatus(302)
    const letter = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form(
        call({
          'channel': 'letter',
          'replyMethod': 'letter',
          'submitterAddress': '東京都新宿区1-1-1',
          'personalDataConsent': '',
          'consentPurposes[]': [],
        })
      )
      .redirects(0)
    letter.assertStatus(302)
    const saved = await Opinion.query().orderBy('id')
    assert.deepEqual(
      saved.map((opinion) => [opinion.channel, opinion.personalDataConsent]),
      [
        ['call_center', null],
        ['letter', null],
      ]
    )
    const page = await client.get(`/opinions/${saved[1].id}`).loginAs(operator)
    assert.notInclude(page.text(), '個人情報の提供への同意')
  })
})
