import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { ApiResponse } from '@japa/api-client'
import type { ApiClient } from '@japa/api-client'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import Topic from '#models/topic'
import type User from '#models/user'
import AuditLog from '#models/audit_log'
import { UserFactory } from '#database/factories/user_factory'
import CallCenterRetention from '#services/opinions/call_center_retention'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import { lastAudit } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/** The correction form as the page sends it: every field, prefilled with the opinion's values. */
function correctionForm(opinion: Opinion, changes: Record<string, string> = {}) {
  return {
    correctionForm: '1',
    subject: opinion.subject,
    topicId: opinion.topicId ? String(opinion.topicId) : '',
    channel: opinion.channel,
    submitterName: opinion.submitterName ?? '',
    submitterPhone: opinion.submitterPhone ?? '',
    submitterPostalCode: opinion.submitterPostalCode ?? '',
    submitterAddress: opinion.submitterAddress ?? '',
    submitterEmail: opinion.submitterEmail ?? '',
    submitterFax: opinion.submitterFax ?? '',
    correctionReason: '',
    ...changes,
  }
}

function correct(client: ApiClient, user: User, opinion: Opinion, form: Record<string, string>) {
  return client
    .post(`/opinions/${opinion.id}/details`)
    .loginAs(user)
    .withCsrfToken()
    .header('referer', `/opinions/${opinion.id}`)
    .form(form)
    .redirects(0)
}

/** The opinion's page as the user sees it after a redirect with its notices. */
function pageAfter(client: ApiClient, user: User, opinion: Opinion, response: ApiResponse) {
  return client
    .get(`/opinions/${opinion.id}`)
    .loginAs(user)
    .withFlashMessages(response.flashMessages())
}

test.group('Opinions: correcting the details after intake', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an operator corrects subject, topic, channel and contact: one history entry with before and after, the contact encrypted, the audit without values', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const [waste, traffic] = await Topic.query().whereIn('code', ['waste', 'traffic']).orderBy('id')
    const opinion = await makeOpinion({
      subject: '駐輪上の増設',
      topicId: waste.id,
      submitterName: '申出 太郎',
      submitterPhone: null,
    })
    const response = await correct(
      client,
      operator,
      opinion,
      correctionForm(opinion, {
        subject: '駐輪場の増設',
        topicId: String(traffic.id),
        channel: 'fax',
        submitterPhone: '03-3209-1111',
        correctionReason: '受付時の入力誤り',
      })
    )
    response.assertStatus(302)
    response.assertHeader('location', `/opinions/${opinion.id}`)
    response.assertFlashMessage('success', '受付内容を訂正しました。')

    await opinion.refresh()
    assert.equal(opinion.subject, '駐輪場の増設')
    assert.equal(opinion.topicId, traffic.id)
    assert.equal(opinion.channel, 'fax')
    assert.equal(opinion.submitterPhone, '03-3209-1111')
    assert.equal(opinion.submitterName, '申出 太郎', 'an unchanged field stays')

    const event = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'details_corrected')
      .firstOrFail()
    assert.equal(event.userId, operator.id)
    assert.equal(event.body, '受付時の入力誤り')
    assert.deepEqual(event.changes, [
      { field: 'subject', before: '駐輪上の増設', after: '駐輪場の増設' },
      { field: 'topicId', before: waste.name, after: traffic.name },
      { field: 'channel', before: 'letter', after: 'fax' },
      { field: 'submitterPhone', personal: true },
    ])
    assert.deepEqual(event.personalChanges, [
      { field: 'submitterPhone', before: null, after: '03-3209-1111' },
    ])

    // In the database the contact of the history is a ciphertext; the rest names no value of it.
    const raw = await db.from('opinion_events').where('id', event.id).firstOrFail()
    assert.match(raw.personal_changes, /^enc1:/)
    assert.notInclude(raw.personal_changes, '3209')
    assert.notInclude(raw.changes, '3209')
    const opinionRow = await db.from('opinions').where('id', opinion.id).firstOrFail()
    assert.notInclude(opinionRow.submitter_phone, '3209')

    const audit = await lastAudit('opinion.correct_details')
    assert.equal(audit!.subjectId, opinion.id)
    assert.deepEqual(audit!.changedFields!.split(','), [
      'channel',
      'subject',
      'submitterPhone',
      'topicId',
    ])
    assert.notInclude(JSON.stringify(audit), '3209')

    // The history shows each field before and after; the search finds the corrected phone.
    const page = await pageAfter(client, operator, opinion, response)
    page.assertStatus(200)
    page.assertTextIncludes('受付内容を訂正しました。')
    page.assertTextIncludes('受付内容を訂正')
    page.assertTextIncludes('訂正前')
    page.assertTextIncludes('駐輪上の増設')
    page.assertTextIncludes(waste.name)
    page.assertTextIncludes('一般投書')
    page.assertTextIncludes('03-3209-1111')
    page.assertTextIncludes('受付時の入力誤り')
    const viewed = await lastAudit('opinion.view_personal_data')
    assert.include(viewed!.changedFields!, 'correctedContact')
    const found = await client.get('/opinions?phone=0332091111').loginAs(operator)
    found.assertTextIncludes('駐輪場の増設')
  })

  test('a privacy officer may correct; department staff, a supervisor and a contractor get 403 and nothing changes', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, kochoSupervisor, contractor } = await opinionScene()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const opinion = await makeOpinion({ subject: '公園の遊具' }, [tree.kocho])

    for (const user of [kochoStaff, kochoSupervisor, contractor]) {
      const refused = await correct(
        client,
        user,
        opinion,
        correctionForm(opinion, { subject: '書き換え', submitterName: '別人' })
      )
      refused.assertStatus(403)
      assert.notExists(refused.flashMessages().success)
    }
    await opinion.refresh()
    assert.equal(opinion.subject, '公園の遊具')
    assert.equal(opinion.submitterName, '申出 太郎')
    assert.lengthOf(
      await OpinionEvent.query().where('opinionId', opinion.id).where('kind', 'details_corrected'),
      0
    )
    const staffPage = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
    staffPage.assertStatus(200)
    assert.notInclude(staffPage.text(), '受付内容を訂正する')

    const officerPage = await client.get(`/opinions/${opinion.id}`).loginAs(officer)
    officerPage.assertTextIncludes('受付内容を訂正する')
    const done = await correct(
      client,
      officer,
      opinion,
      correctionForm(opinion, { subject: '公園の遊具の修理' })
    )
    done.assertStatus(302)
    await opinion.refresh()
    assert.equal(opinion.subject, '公園の遊具の修理')
  })

  test('refusals come back on the form in Japanese with the input kept, and change nothing', async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const letter = await makeOpinion({ subject: '街路灯' })
    const call = await makeOpinion({
      channel: 'call_center',
      replyWanted: false,
      submitterName: null,
      submitterAddress: null,
      subject: '電話の問合せ',
    })
    const anonymous = await makeOpinion({
      anonymous: true,
      replyWanted: false,
      submitterName: null,
      submitterAddress: null,
      subject: '匿名の意見',
    })
    const cases: Array<[Opinion, Record<string, string>, string, string]> = [
      [letter, {}, 'form', '訂正する項目がありません（変更された項目がありません）。'],
      [
        letter,
        { channel: 'call_center' },
        'channel',
        'コールセンター受付とそれ以外の受付経路の間では訂正できません（引継と個人情報の保存期間が受付時に決まるため）。',
      ],
      [
        letter,
        { submitterAddress: '' },
        'submitterAddress',
        '郵送で回答する場合は住所を入力してください。',
      ],
      [
        call,
        { submitterPhone: '090-1111-2222' },
        'submitterPhone',
        'コールセンターで個人情報を伺わなかった意見等には、訂正で連絡先を追加できません（同意の記録がないため）。',
      ],
      [
        anonymous,
        { submitterName: '名無し' },
        'submitterName',
        '匿名の意見等には申出人の連絡先を入力できません。',
      ],
    ]
    for (const [opinion, changes, field, message] of cases) {
      const response = await correct(
        client,
        operator,
        opinion,
        correctionForm(opinion, { correctionReason: '確認のため', ...changes })
      )
      response.assertStatus(302)
      response.assertHeader('location', `/opinions/${opinion.id}`)
      response.assertFlashMessage('errors', { [field]: [message] })
      assert.notExists(response.flashMessages().success)
      assert.equal(response.flashMessages().correctionReason, '確認のため', 'the input is kept')
      const page = await pageAfter(client, operator, opinion, response)
      page.assertTextIncludes(message)
      assert.include(page.text(), '<details open>', 'the form is open again')
    }
    // A bad phone number is the validator's message on the field.
    const invalid = await correct(
      client,
      operator,
      letter,
      correctionForm(letter, { submitterPhone: 'abc' })
    )
    invalid.assertFlashMessage('errors', {
      submitterPhone: ['電話番号（日中連絡先）の形式が正しくありません'],
    })
    await letter.refresh()
    assert.equal(letter.channel, 'letter')
    assert.equal(letter.submitterAddress, '東京都新宿区1-1-1')
    assert.lengthOf(await OpinionEvent.query().where('kind', 'details_corrected'), 0)
  })
})

test.group('Opinions: a corrected contact is purged with the record', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  const keys = { dir: '' }
  group.each.setup(() => {
    keys.dir = mkdtempSync(join(tmpdir(), 'daicho-retention-keys-'))
    fieldEncryption.use(
      FieldEncryption.fromSettings({
        nodeEnv: 'test',
        appKey: env.get('APP_KEY'),
        retentionKeysDir: keys.dir,
      })
    )
  })
  group.each.teardown(() => {
    fieldEncryption.use(null)
    rmSync(keys.dir, { recursive: true, force: true })
  })

  test("a call-center contact correction is sealed with the month's retention key; the purge empties it and the key is shredded", async ({
    client,
    assert,
  }) => {
    const { operator } = await opinionScene()
    const call = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-10T10:00'),
      replyMethod: 'phone',
      submitterName: '架電 花子',
      submitterPhone: '090-0000-1111',
      submitterAddress: null,
    })
    const response = await correct(
      client,
      operator,
      call,
      correctionForm(call, { submitterPhone: '090-2222-3333' })
    )
    response.assertFlashMessage('success', '受付内容を訂正しました。')
    const event = await OpinionEvent.query()
      .where('opinionId', call.id)
      .where('kind', 'details_corrected')
      .firstOrFail()
    assert.deepEqual(event.personalChanges, [
      { field: 'submitterPhone', before: '090-0000-1111', after: '090-2222-3333' },
    ])
    const sealed = await db.from('opinion_events').where('id', event.id).firstOrFail()
    assert.match(sealed.personal_changes, /^enc1:ret-2019-07:/)
    assert.notInclude(sealed.personal_changes, '1111')

    const purged = await CallCenterRetention.purge(tokyo('2020-08-15T02:30'))
    assert.deepEqual(purged.ids, [call.id])
    const emptied = await db.from('opinion_events').where('id', event.id).firstOrFail()
    assert.isNull(emptied.personal_changes)
    assert.include(emptied.changes, 'submitterPhone', 'which field was corrected stays')
    assert.isFalse(existsSync(join(keys.dir, '2019-07.key')), 'the month key is shredded')
    const audit = await AuditLog.query()
      .where('action', 'opinion.purge_call_center_personal_data')
      .firstOrFail()
    assert.notInclude(JSON.stringify(audit), '090-')

    const page = await client.get(`/opinions/${call.id}`).loginAs(operator)
    page.assertTextIncludes('連絡先の訂正内容は、保存期間満了により削除しました。')
    assert.notInclude(page.text(), '090-2222-3333')
    assert.notInclude(page.text(), '090-0000-1111')
    // The purged record takes no new contact.
    await call.refresh()
    const refused = await correct(
      client,
      operator,
      call,
      correctionForm(call, { submitterPhone: '090-4444-5555' })
    )
    refused.assertFlashMessage('errors', {
      submitterPhone: ['保存期間満了により個人情報を削除した意見等の連絡先は訂正できません。'],
    })
  })
})

test.group('Opinions: forwarding with nothing selected', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('is refused with a Japanese message on the form and never reports success', async ({
    client,
    assert,
  }) => {
    const { operator, tree } = await opinionScene()
    const fresh = await makeOpinion({ subject: '未転送の意見' })
    const forwarded = await makeOpinion({ subject: '転送済みの意見' }, [tree.kocho])
    const attempts: Array<[Opinion, Record<string, unknown>, string]> = [
      // Nothing ticked (a fresh opinion; or every box unticked).
      [fresh, {}, '転送先の所属を1つ以上選んでください'],
      [fresh, { note: '至急' }, '転送先の所属を1つ以上選んでください'],
      [forwarded, { leadDepartmentId: '' }, '転送先の所属を1つ以上選んでください'],
      // Only the department it already went to, as the form ticks it: nothing new.
      [
        forwarded,
        { 'departmentIds[]': [String(tree.kocho.id)], 'leadDepartmentId': String(tree.kocho.id) },
        '新しい転送先を選んでください（転送済みの所属だけでは転送されません。主管課だけを変える場合は主管課を選び直してください）。',
      ],
    ]
    for (const [opinion, form, message] of attempts) {
      const response = await client
        .post(`/opinions/${opinion.id}/forward`)
        .loginAs(operator)
        .withCsrfToken()
        .header('referer', `/opinions/${opinion.id}`)
        .form(form)
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/opinions/${opinion.id}`)
      assert.notExists(response.flashMessages().success, JSON.stringify(form))
      response.assertFlashMessage('errors', { departmentIds: [message] })
      const page = await pageAfter(client, operator, opinion, response)
      page.assertTextIncludes(message)
      assert.notInclude(page.text(), '転送しました。')
    }
    assert.lengthOf(
      await OpinionEvent.query()
        .whereIn('opinionId', [fresh.id, forwarded.id])
        .where('kind', 'forwarded'),
      0
    )
    await fresh.refresh()
    assert.equal(fresh.status, 'received')

    // Changing only the lead among the departments it went to still works.
    const twice = await makeOpinion({ subject: '二課へ転送済み' }, [tree.kocho, tree.kikikanri])
    const lead = await client
      .post(`/opinions/${twice.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .form({
        'departmentIds[]': [String(tree.kocho.id), String(tree.kikikanri.id)],
        'leadDepartmentId': String(tree.kikikanri.id),
      })
      .redirects(0)
    lead.assertFlashMessage('success', '転送しました。')
    await twice.refresh()
    assert.equal(twice.leadDepartmentId, tree.kikikanri.id)
  })
})
