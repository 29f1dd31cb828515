import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import CannedText from '#models/canned_text'
import OpinionReply from '#models/opinion_reply'
import { CannedTextFactory } from '#database/factories/canned_text_factory'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit, openRecordingQueries } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const THANKS = 'このたびは貴重なご意見をお寄せいただき、ありがとうございました。'

test.group('定型文: the department keeps its canned reply texts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('department staff add, change and delete their texts; each step is audited', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff } = await opinionScene()

    const form = await client.get('/canned-texts/create').loginAs(kochoStaff)
    form.assertStatus(200)
    form.assertTextIncludes('定型文を登録')

    const created = await client
      .post('/canned-texts')
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ departmentId: String(tree.kocho.id), title: 'ご意見へのお礼', body: THANKS })
      .redirects(0)
    created.assertStatus(302)
    created.assertHeader('location', '/canned-texts')
    created.assertFlashMessage('success', '定型文を保存しました。')
    const text = await CannedText.findByOrFail('title', 'ご意見へのお礼')
    assert.equal(text.departmentId, tree.kocho.id)
    assert.equal(text.updatedByUserId, kochoStaff.id)
    assert.isNotNull(await lastAudit('canned_text.create'))

    const list = await client.get('/canned-texts').loginAs(kochoStaff)
    list.assertStatus(200)
    list.assertTextIncludes('ご意見へのお礼')
    list.assertTextIncludes('広聴担当課')

    const edit = await client.get(`/canned-texts/${text.id}/edit`).loginAs(kochoStaff)
    edit.assertStatus(200)
    edit.assertTextIncludes(THANKS)

    const updated = await client
      .put(`/canned-texts/${text.id}`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ departmentId: String(tree.kochoKakari.id), title: 'お礼（係）', body: THANKS })
      .redirects(0)
    updated.assertStatus(302)
    await text.refresh()
    assert.equal(text.title, 'お礼（係）')
    assert.equal(text.departmentId, tree.kochoKakari.id, 'a section below the own department')
    const audit = await lastAudit('canned_text.update')
    assert.deepEqual(audit?.changedFields?.split(','), ['departmentId', 'title'])

    const deleted = await client
      .delete(`/canned-texts/${text.id}`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .redirects(0)
    deleted.assertStatus(302)
    deleted.assertFlashMessage('success', '定型文「お礼（係）」を削除しました。')
    assert.isNull(await CannedText.find(text.id))
    assert.isNotNull(await lastAudit('canned_text.delete'))
  })

  test('another department neither lists, opens, changes nor deletes them (403)', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, kikiSupervisor } = await opinionScene()
    const text = await CannedTextFactory.merge({
      departmentId: tree.kocho.id,
      title: '広聴担当課の定型文',
    }).create()

    const list = await client.get('/canned-texts').loginAs(kikiStaff)
    list.assertStatus(200)
    assert.notInclude(list.text(), '広聴担当課の定型文')
    const filtered = await client
      .get(`/canned-texts?departmentId=${tree.kocho.id}`)
      .loginAs(kikiSupervisor)
    assert.notInclude(filtered.text(), '広聴担当課の定型文')

    const edit = await client.get(`/canned-texts/${text.id}/edit`).loginAs(kikiStaff)
    edit.assertStatus(403)
    const update = await client
      .put(`/canned-texts/${text.id}`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .form({ departmentId: String(tree.kikikanri.id), title: '乗っ取り', body: '本文' })
    update.assertStatus(403)
    const destroy = await client
      .delete(`/canned-texts/${text.id}`)
      .loginAs(kikiStaff)
      .withCsrfToken()
    destroy.assertStatus(403)
    await text.refresh()
    assert.equal(text.title, '広聴担当課の定型文')

    const missing = await client.get(`/canned-texts/${text.id + 1000}/edit`).loginAs(kikiStaff)
    missing.assertStatus(404)
  })

  test('a text for another department is refused on the field with the input kept', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff } = await opinionScene()
    const refused = await client
      .post('/canned-texts')
      .loginAs(kikiStaff)
      .withCsrfToken()
      .header('referer', '/canned-texts/create')
      .form({ departmentId: String(tree.kocho.id), title: '他課の名前で', body: THANKS })
      .redirects(0)
    refused.assertStatus(302)
    refused.assertFlashMessage('errors', {
      departmentId: ['自分の所属（又はその下の係）の定型文だけを登録できます。'],
    })
    refused.assertFlashMessage('title', '他課の名前で')
    refused.assertFlashMessage('body', THANKS)

    const empty = await client
      .post('/canned-texts')
      .loginAs(kikiStaff)
      .withCsrfToken()
      .header('referer', '/canned-texts/create')
      .form({ departmentId: String(tree.kikikanri.id), title: '', body: THANKS })
      .redirects(0)
    empty.assertStatus(302)
    const again = await client
      .get('/canned-texts/create')
      .loginAs(kikiStaff)
      .withFlashMessages(empty.flashMessages())
    again.assertTextIncludes('件名を入力してください')
    again.assertTextIncludes(THANKS)
    assert.equal(
      await CannedText.query()
        .count('* as total')
        .then((r) => Number(r[0].$extras.total)),
      0
    )
  })

  test('the privacy office sees and edits every department; operators and contractors have none', async ({
    client,
    assert,
  }) => {
    const { tree, operator, contractor } = await opinionScene()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const kocho = await CannedTextFactory.merge({
      departmentId: tree.kocho.id,
      title: '広聴の文',
    }).create()
    await CannedTextFactory.merge({
      departmentId: tree.kikikanri.id,
      title: '危機管理の文',
    }).create()

    const list = await client.get('/canned-texts').loginAs(officer)
    list.assertTextIncludes('広聴の文')
    list.assertTextIncludes('危機管理の文')
    const update = await client
      .put(`/canned-texts/${kocho.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ departmentId: String(tree.kocho.id), title: '広聴の文（改）', body: THANKS })
      .redirects(0)
    update.assertStatus(302)
    await kocho.refresh()
    assert.equal(kocho.title, '広聴の文（改）')

    for (const user of [operator, contractor]) {
      const denied = await client.get('/canned-texts').loginAs(user)
      denied.assertStatus(403)
      const edit = await client.get(`/canned-texts/${kocho.id}/edit`).loginAs(user)
      edit.assertStatus(403)
    }
  })
})

test.group('定型文 on the reply form', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('「挿入」 adds the text below what was typed; the form comes back with both, nothing saved', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    const text = await CannedTextFactory.merge({
      departmentId: tree.kocho.id,
      body: THANKS,
    }).create()
    await CannedTextFactory.merge({
      departmentId: tree.kikikanri.id,
      title: '危機管理課の文',
    }).create()
    const opinion = await makeOpinion({ subject: '公園の清掃について' }, [tree.kocho])

    const { page, queries: reads } = await openRecordingQueries(
      client,
      `/opinions/${opinion.id}`,
      kochoStaff
    )
    page.assertStatus(200)
    page.assertTextIncludes('ご意見へのお礼（広聴担当課）')
    assert.deepEqual(
      reads.filter((sql) => /from\s+["`]?departments["`]?\s+where/i.test(sql)),
      [],
      'each text names its department from the page’s one read of the organisation'
    )
    page.assertTextIncludes('>挿入</button>')
    assert.notInclude(page.text(), '危機管理課の文', 'only the drafter’s departments')

    const typed = '山田様\r\n公園の清掃について回答します。'
    const inserted = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: typed, method: 'email', cannedTextId: String(text.id) })
      .redirects(0)
    inserted.assertStatus(302)
    inserted.assertHeader('location', `/opinions/${opinion.id}#field-body`)
    inserted.assertFlashMessage('body', `山田様\n公園の清掃について回答します。\n${THANKS}`)
    inserted.assertFlashMessage('method', 'email')

    const form = await client
      .get(`/opinions/${opinion.id}`)
      .loginAs(kochoStaff)
      .withFlashMessages(inserted.flashMessages())
    form.assertTextIncludes(`公園の清掃について回答します。\n${THANKS}</textarea>`)
    form.assertTextIncludes('<option value="email" selected>')
    form.assertTextIncludes('定型文を挿入しました。')
    assert.equal(
      await OpinionReply.query()
        .where('opinionId', opinion.id)
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      0,
      'inserting saves nothing'
    )

    const intoEmpty = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: '', method: 'letter', cannedTextId: String(text.id) })
      .redirects(0)
    intoEmpty.assertFlashMessage('body', THANKS)
  })

  test('no text chosen, a deleted text: the message comes back with what was typed', async ({
    client,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    const opinion = await makeOpinion({}, [tree.kocho])
    const typed = '途中まで書いた回答'

    const none = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .form({ body: typed, method: 'letter', cannedTextId: '' })
      .redirects(0)
    none.assertStatus(302)
    const page = await client
      .get(`/opinions/${opinion.id}`)
      .loginAs(kochoStaff)
      .withFlashMessages(none.flashMessages())
    page.assertTextIncludes('定型文を選んでから「挿入」を押してください')
    page.assertTextIncludes(`${typed}</textarea>`)

    const gone = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .form({ body: typed, method: 'letter', cannedTextId: '999999' })
      .redirects(0)
    gone.assertFlashMessage('errors', {
      cannedTextId: ['選んだ定型文は削除されています。別の定型文を選んでください。'],
    })
    gone.assertFlashMessage('body', typed)
  })

  test('another department’s text, another department’s opinion, a reply awaiting approval: refused', async ({
    client,
  }) => {
    const { tree, kochoStaff, kikiStaff } = await opinionScene()
    const kikiText = await CannedTextFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const kochoText = await CannedTextFactory.merge({ departmentId: tree.kocho.id }).create()
    const opinion = await makeOpinion({}, [tree.kocho])

    const foreignText = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: 'x', method: 'letter', cannedTextId: String(kikiText.id) })
    foreignText.assertStatus(403)

    const foreignOpinion = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ body: 'x', method: 'letter', cannedTextId: String(kikiText.id) })
    foreignOpinion.assertStatus(403)

    await OpinionReplyFactory.apply('awaitingApproval')
      .merge({ opinionId: opinion.id, departmentId: tree.kocho.id })
      .create()
    const locked = await client
      .post(`/opinions/${opinion.id}/replies/canned-text`)
      .header('accept', 'application/json')
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: 'x', method: 'letter', cannedTextId: String(kochoText.id) })
    locked.assertStatus(422)
    locked.assertBodyContains({ errors: [{ field: 'body' }] })
  })
})
