import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import Clock, { FixedClock } from '#services/clock'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const run = promisify(execFile)

/** The PDF's text (pdftotext), whitespace removed. */
async function pdfText(body: Buffer, name: string) {
  await mkdir(app.tmpPath('pdf'), { recursive: true })
  const file = app.tmpPath('pdf', `${name}.pdf`)
  await writeFile(file, body)
  const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
  return stdout.replace(/[\s\u3000]+/g, '')
}

test.group('回答書: a reply printed as a letter', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => app.container.restore(Clock))

  test('a sent reply prints as the final letter: 令和 date, 文書番号, addressee, department', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, operator } = await opinionScene()
    tree.kocho.merge({ address: '〒160-8484 東京都新宿区歌舞伎町1-4-1', phone: '03-5273-4065' })
    await tree.kocho.save()
    const opinion = await makeOpinion(
      { subject: '公園の清掃について', submitterName: '申出 太郎' },
      [tree.kocho]
    )
    const reply = await OpinionReplyFactory.apply('sent')
      .merge({
        opinionId: opinion.id,
        departmentId: tree.kocho.id,
        body: '公園の清掃は毎週月曜日に行っています。\n今後も適切に管理します。',
      })
      .create()
    // Set after the factory's 'sent' state, which dates the reply now (the letter is dated when sent).
    reply.sentAt = DateTime.fromISO('2026-11-26T10:00', { zone: 'Asia/Tokyo' })
    await reply.save()

    for (const user of [kochoStaff, operator]) {
      const response = await client
        .get(`/opinions/${opinion.id}/replies/${reply.id}/letter.pdf`)
        .loginAs(user)
      response.assertStatus(200)
      response.assertHeader('content-type', 'application/pdf')
      const pdf = Buffer.from(response.body())
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
      const text = await pdfText(pdf, 'reply-letter-final')
      for (const expected of [
        '回答書',
        '令和8年11月26日',
        `区民の声第${opinion.referenceNo}号`,
        '申出太郎様',
        '区長室広聴担当課',
        '〒160-8484東京都新宿区歌舞伎町1-4-1',
        '電話03-5273-4065',
        '件名公園の清掃について（回答）',
        '公園の清掃は毎週月曜日に行っています。',
        '以上',
      ]) {
        assert.include(text, expected)
      }
      assert.notInclude(text, '（案）')
    }
    const audit = await lastAudit('opinion.reply_letter')
    assert.equal(audit?.changedFields, 'submitterName')
    assert.equal(audit?.subjectId, String(opinion.id))
    assert.notInclude(audit?.details ?? '', '申出')
  })

  test('a draft prints as 回答書（案） dated today, with the ward’s letterhead when the department has none', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    app.container.swap(Clock, () => new FixedClock(DateTime.fromISO('2026-12-01T09:00+09:00')))
    const opinion = await makeOpinion({ subject: '騒音の苦情', submitterName: null }, [tree.kocho])
    const reply = await OpinionReplyFactory.merge({
      opinionId: opinion.id,
      departmentId: tree.kocho.id,
      body: '現地を確認しました。',
    }).create()

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
    page.assertTextIncludes(`/opinions/${opinion.id}/replies/${reply.id}/letter.pdf`)
    page.assertTextIncludes('回答書（案）を印刷（PDF）')

    const response = await client
      .get(`/opinions/${opinion.id}/replies/${reply.id}/letter.pdf`)
      .loginAs(kochoStaff)
    response.assertStatus(200)
    response.assertHeader('content-type', 'application/pdf')
    assert.include(response.header('content-disposition'), '-draft.pdf')
    const text = await pdfText(Buffer.from(response.body()), 'reply-letter-draft')
    assert.include(text, '回答書（案）')
    assert.include(text, '令和8年12月1日（案）')
    assert.include(text, '件名「騒音の苦情」について（回答）')
    assert.include(text, `区民の声第${opinion.referenceNo}号`)
    assert.include(text, '広聴担当課')
    const audit = await lastAudit('opinion.reply_letter')
    assert.isNull(audit?.changedFields ?? null, 'no name, nothing personal read')
  })

  test('another department, a contractor and a reply of another opinion are refused', async ({
    client,
  }) => {
    const { tree, kikiStaff, kikiSupervisor, contractor } = await opinionScene()
    const opinion = await makeOpinion({}, [tree.kocho])
    const other = await makeOpinion({}, [tree.kikikanri])
    const reply = await OpinionReplyFactory.apply('approved')
      .merge({ opinionId: opinion.id, departmentId: tree.kocho.id })
      .create()

    for (const user of [kikiStaff, kikiSupervisor, contractor]) {
      const denied = await client
        .get(`/opinions/${opinion.id}/replies/${reply.id}/letter.pdf`)
        .loginAs(user)
      denied.assertStatus(403)
    }
    const mismatched = await client
      .get(`/opinions/${other.id}/replies/${reply.id}/letter.pdf`)
      .loginAs(kikiStaff)
    mismatched.assertStatus(404)
    const officer = await UserFactory.apply('privacyOfficer').create()
    const allowed = await client
      .get(`/opinions/${opinion.id}/replies/${reply.id}/letter.pdf`)
      .loginAs(officer)
    allowed.assertStatus(200)
  })

  test('an administrator stores the department’s letterhead address and phone; a bad phone is refused', async ({
    client,
    assert,
  }) => {
    const { tree } = await opinionScene()
    const admin = await UserFactory.apply('admin').create()
    const fields = {
      name: '広聴担当課',
      code: 't-kocho',
      level: 'ka',
      parentId: String(tree.bu.id),
      sortOrder: '1',
    }
    const saved = await client
      .put(`/admin/departments/${tree.kocho.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .form({ ...fields, address: '〒160-8484 東京都新宿区歌舞伎町1-4-1', phone: '03-5273-4065' })
      .redirects(0)
    saved.assertStatus(302)
    await tree.kocho.refresh()
    assert.equal(tree.kocho.address, '〒160-8484 東京都新宿区歌舞伎町1-4-1')
    assert.equal(tree.kocho.phone, '03-5273-4065')

    const refused = await client
      .put(`/admin/departments/${tree.kocho.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', `/admin/departments/${tree.kocho.id}/edit`)
      .form({ ...fields, address: '', phone: '内線1234' })
      .redirects(0)
    refused.assertStatus(302)
    const form = await client
      .get(`/admin/departments/${tree.kocho.id}/edit`)
      .loginAs(admin)
      .withFlashMessages(refused.flashMessages())
    form.assertTextIncludes('電話番号の形式が正しくありません')
    form.assertTextIncludes('value="内線1234"')
    await tree.kocho.refresh()
    assert.equal(tree.kocho.phone, '03-5273-4065')

    const cleared = await client
      .put(`/admin/departments/${tree.kocho.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .form({ ...fields, address: '', phone: '' })
      .redirects(0)
    cleared.assertStatus(302)
    await tree.kocho.refresh()
    assert.isNull(tree.kocho.address, 'empty: the ward’s address is printed')
    assert.isNull(tree.kocho.phone)
  })
})
