import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Opinion from '#models/opinion'
import Topic from '#models/topic'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, freshIp } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

/*
 * Issue 14 item 9: bad input never ends in a 500. Each case is refused (or
 * cleaned) with a Japanese message the sender sees, and what was typed comes
 * back on the form. Run on PostgreSQL too: it refuses NUL in text, ids past
 * its integer range and unknown foreign keys with errors SQLite never raises.
 */

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/

function assertNo500(response: ApiResponse) {
  if (response.status() >= 500)
    throw new Error(`500 for bad input: ${response.text().slice(0, 300)}`)
}

/** The /voice form as a browser posts it (each request from its own address: the form is rate limited). */
function voice(client: any, fields: Record<string, unknown>) {
  return client
    .post('/voice')
    .header('x-forwarded-for', freshIp())
    .header('referer', '/voice')
    .withCsrfToken()
    .form({ kind: 'opinion', subject: 'ご意見', body: '本文です。', ...fields })
    .redirects(0)
}

/** The page the sender lands on after a refused submission, with what was flashed. */
function landing(client: any, response: ApiResponse, url: string) {
  return client.get(url).withFlashMessages(response.flashMessages())
}

const opinionCount = async () => {
  const [counted] = await db.from('opinions').count('* as total')
  return Number(counted.total)
}

test.group('Bad input: unknown ids, lists, NUL and broken UTF-8', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an unknown topic on /voice (no login) is refused on the form, input kept', async ({
    client,
    assert,
  }) => {
    const before = await opinionCount()
    const response = await voice(client, { topicId: '999', subject: '公園のベンチ' })
    assertNo500(response)
    response.assertStatus(302)
    response.assertHeader('location', '/voice')
    const form = await landing(client, response, '/voice')
    form.assertStatus(200)
    form.assertTextIncludes('選択された分野は存在しません')
    form.assertTextIncludes('公園のベンチ')
    assert.equal(await opinionCount(), before)

    // Past the database's integer range: refused the same way, never a query error.
    const huge = await voice(client, { topicId: '99999999999' })
    assertNo500(huge)
    huge.assertStatus(302)
    assert.match(String(huge.flashMessages().inputErrorsBag?.topicId), JAPANESE)
  })

  test('unknown departments when forwarding an opinion are refused with the form message', async ({
    client,
    assert,
  }) => {
    const { operator, tree } = await opinionScene()
    const opinion = await makeOpinion()
    for (const fields of [
      { 'departmentIds[]': ['999'] },
      { departmentIds: '999' },
      { 'departmentIds[]': [String(tree.kocho.id)], 'leadDepartmentId': '999' },
    ]) {
      const response = await client
        .post(`/opinions/${opinion.id}/forward`)
        .loginAs(operator)
        .withCsrfToken()
        .header('referer', `/opinions/${opinion.id}`)
        .form(fields)
        .redirects(0)
      assertNo500(response)
      response.assertStatus(302)
      const errors = JSON.stringify(
        response.flashMessages().inputErrorsBag ?? response.flashMessages().errors
      )
      assert.include(errors, '存在しません', JSON.stringify(fields))
    }
    const storedOpinion = await Opinion.findOrFail(opinion.id)
    assert.isNull(storedOpinion.leadDepartmentId)
  })

  test('a filter value the database cannot compare gets a Japanese page, not a 500', async ({
    client,
    assert,
  }) => {
    const { tree, operator } = await opinionScene()
    const officer = await UserFactory.apply('privacyOfficer')
      .merge({ departmentId: tree.kocho.id })
      .create()
    // Past PostgreSQL's integer range (SQLite compares it and finds nothing).
    const response = await client
      .get('/systems')
      .qs({ departmentId: '99999999999' })
      .loginAs(officer)
    assertNo500(response)
    assert.match(response.text(), JAPANESE)
    if (response.status() !== 200) {
      response.assertStatus(422)
      response.assertTextIncludes('送信された内容を処理できませんでした')
    }
    // The same in the address: an opinion number past the integer range.
    const page = await client.get('/opinions/99999999999').loginAs(operator)
    assertNo500(page)
    assert.match(page.text(), JAPANESE)
  })

  test('a scalar where a list is expected, and a list where a value is expected, get the form message', async ({
    client,
    assert,
  }) => {
    const listForText = await voice(client, { 'subject[]': ['a', 'b'] })
    assertNo500(listForText)
    listForText.assertStatus(302)
    assert.match(String(listForText.flashMessages().inputErrorsBag?.subject), JAPANESE)

    const { operator } = await opinionScene()
    const opinion = await makeOpinion()
    const scalar = await client
      .post(`/opinions/${opinion.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .form({ departmentIds: 'abc' })
      .redirects(0)
    assertNo500(scalar)
    scalar.assertStatus(302)
    assert.match(JSON.stringify(scalar.flashMessages().inputErrorsBag), JAPANESE)
  })

  test('NUL and control characters are removed before anything is saved', async ({
    client,
    assert,
  }) => {
    const response = await voice(client, {
      subject: '防災\u0000無線\u0007',
      body: '聞こえ\u0000ません。\r\n二行目',
    })
    assertNo500(response)
    response.assertStatus(302)
    response.assertHeader('location', '/voice/thanks')
    const opinion = await Opinion.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(opinion.subject, '防災無線')
    assert.equal(opinion.body, '聞こえません。\r\n二行目')

    // In a search (query string) too.
    const { operator } = await opinionScene()
    const search = await client.get('/opinions').qs({ q: '防災\u0000' }).loginAs(operator)
    assertNo500(search)
    search.assertStatus(200)
  })

  test('a field that is not UTF-8 is refused as garbled, nothing is saved', async ({
    client,
    assert,
  }) => {
    const before = await opinionCount()
    // 「あ」 in Shift_JIS, as a page saved in the old encoding would post it.
    const response = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .header('referer', '/voice')
      .withCsrfToken()
      .form('kind=opinion&subject=%82%A0&body=%E6%9C%AC%E6%96%87' as any)
      .redirects(0)
    assertNo500(response)
    response.assertStatus(302)
    const form = await landing(client, response, '/voice')
    form.assertTextIncludes('文字化けした文字')
    assert.equal(await opinionCount(), before)

    // A JSON client sending a lone surrogate gets a Japanese 422.
    const json = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ kind: 'opinion', subject: 'ok\ud800', body: 'x' })
    assertNo500(json)
    json.assertStatus(422)
    assert.include(json.text(), '文字化け')
    assert.equal(await opinionCount(), before)
  })
})

test.group('Bad input: expired forms and oversized requests', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an expired CSRF token says so in Japanese and keeps what was typed', async ({
    client,
    assert,
  }) => {
    const topic = await Topic.query().firstOrFail()
    const before = await opinionCount()
    const response = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .header('referer', '/voice')
      .form({
        _csrf: 'expired-token',
        kind: 'request',
        topicId: String(topic.id),
        subject: '期限切れの確認',
        body: '長い本文を書いている間に画面が古くなった。',
      })
      .redirects(0)
    assertNo500(response)
    response.assertStatus(302)
    response.assertHeader('location', '/voice')
    const form = await landing(client, response, '/voice')
    form.assertStatus(200)
    form.assertTextIncludes('画面の有効期限が切れました。もう一度送信してください')
    form.assertTextIncludes('期限切れの確認')
    form.assertTextIncludes('長い本文を書いている間に画面が古くなった。')
    assert.equal(await opinionCount(), before)
  })

  test('an oversized form or upload gets the Japanese error page, not the framework page', async ({
    client,
    assert,
  }) => {
    const big = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .header('accept', 'text/html')
      .withCsrfToken()
      .form({ kind: 'opinion', subject: 'a', body: 'あ'.repeat(2_500_000) })
      .redirects(0)
    big.assertStatus(413)
    big.assertTextIncludes('送信された内容が大きすぎます')
    assert.notInclude(big.text(), 'request entity too large')
    assert.notInclude(big.text(), 'prism')

    const { kocho } = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer')
      .merge({ departmentId: kocho.id })
      .create()
    const upload = await client
      .post('/legacy-imports/preview')
      .loginAs(officer)
      .withCsrfToken()
      .header('accept', 'text/html')
      .file('file', Buffer.alloc(21 * 1024 * 1024, 0x41), {
        filename: 'huge.csv',
        contentType: 'text/csv',
      })
      .fields({ kind: 'opinions', encoding: 'auto' })
      .redirects(0)
    assertNo500(upload)
    upload.assertStatus(413)
    upload.assertTextIncludes('送信された内容が大きすぎます')
  })

  test('a malformed JSON body gets a Japanese page', async ({ client }) => {
    const response = await client
      .post('/voice')
      .header('x-forwarded-for', freshIp())
      .withCsrfToken()
      .header('accept', 'text/html')
      .form('{"kind":' as any)
      .type('application/json')
      .redirects(0)
    assertNo500(response)
    response.assertStatus(400)
    response.assertTextIncludes('送信された内容を処理できませんでした')
  })
})
