import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import FaqEntry from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import Topic from '#models/topic'
import FaqQueries from '#services/faq/faq_queries'
import FaqDecisionMail from '#mails/faq/faq_decision_mail'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, lastAudit, openRecordingQueries } from '#tests/helpers'

/** 広聴担当課 staff and supervisor, 危機管理課 staff and supervisor, an operator, the 防災 topic. */
async function scene() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    email: 'author@ward.example.jp',
    fullName: '広聴 一郎',
  }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '課長 次郎' })
    .create()
  const otherStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const otherSupervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kikikanri.id })
    .create()
  const operator = await UserFactory.apply('operator').create()
  const safety = await Topic.findByOrFail('code', 'safety')
  const traffic = await Topic.findByOrFail('code', 'traffic')
  return { tree, staff, supervisor, otherStaff, otherSupervisor, operator, safety, traffic }
}

const form = (departmentId: number, topicId: number, overrides: Record<string, unknown> = {}) => ({
  departmentId: String(departmentId),
  topicId: String(topicId),
  question: '避難所はどこですか',
  answerText: 'お住まいの地域の区立小中学校が避難所です。防災マップでご確認ください。',
  keywords: '避難場所 防災',
  relatedLinks: '防災マップ https://www.city.example.jp/bosai/map.html',
  internalNotes: '詳細な問合せは危機管理課（内線1234）へ転送。',
  visibleToCallCenter: 'true',
  ...overrides,
})

test.group('FAQ: drafting and the approval workflow', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('staff drafts, requests approval, the supervisor approves: published, audited, author mailed', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, safety } = await scene()
    const { mails } = mail.fake()

    const created = await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
      .redirects(0)
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')
    created.assertStatus(302)
    created.assertHeader('location', `/faq-entries/${entry.id}`)
    assert.equal(entry.status, 'draft')
    assert.isNull(entry.publishedVersionId)
    assert.deepEqual(entry.relatedLinks, [
      { label: '防災マップ', url: 'https://www.city.example.jp/bosai/map.html' },
    ])
    assert.isTrue(entry.visibleToCallCenter)
    const createAudit = (await lastAudit('faq_entry.create'))!
    assert.includeMembers(createAudit.changedFieldList, ['question', 'answer', 'internalNotes'])
    assert.notInclude(`${createAudit.changedFields}${createAudit.details}`, '避難所')

    // A draft is not on the citizen site.
    const notFound = await client.get(`/faq/${entry.id}`)
    notFound.assertStatus(404)

    await client
      .post(`/faq-entries/${entry.id}/approval-request`)
      .loginAs(staff)
      .withCsrfToken()
      .redirects(0)
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')
    const pending = (await FaqQueries.pending(await FaqQueries.entry(entry.id)))!
    assert.equal(pending.version, 1)
    assert.equal(pending.requestedByUserId, staff.id)
    assert.exists(await lastAudit('faq_entry.approval_requested'))

    // While awaiting approval the author cannot change it.
    const denied = await client.get(`/faq-entries/${entry.id}/edit`).loginAs(staff)
    denied.assertStatus(403)

    const { page, queries } = await openRecordingQueries(
      client,
      `/faq-entries/${entry.id}`,
      supervisor
    )
    page.assertStatus(200)
    page.assertTextIncludes('承認待ちの変更（第1版）')
    page.assertTextIncludes('承認して公開する')
    // The change awaiting approval is read once, for the page and for whether the supervisor may decide.
    const changeReads = queries.filter((sql) =>
      /from [`"]?faq_versions[`"]? where [`"]?faq_entry_id[`"]? = (\?|\$\d+) and [`"]?state[`"]? = (\?|\$\d+)/.test(
        sql
      )
    )
    assert.lengthOf(changeReads, 1)
    // Who asked for it is who last changed the entry: read once, with the entry.
    page.assertTextIncludes(`依頼者：${staff.fullName}（`)
    const userReads = queries.filter((sql) =>
      /^select \* from [`"]?users[`"]? where [`"]?id[`"]? in/.test(sql)
    )
    assert.lengthOf(userReads, 1)

    const approved = await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ comment: '' })
      .redirects(0)
    approved.assertStatus(302)
    await entry.refresh()
    assert.equal(entry.status, 'published')
    assert.equal(entry.publishedVersionId, pending.id)
    await pending.refresh()
    assert.equal(pending.state, 'approved')
    assert.equal(pending.decidedByUserId, supervisor.id)

    // The published entry's page and history: the entry and its published version share their
    // topic and their user (who changed it last, who approved it), each read once.
    const reads = (recorded: string[], table: string) =>
      recorded.filter((sql) =>
        new RegExp(`^select \\* from [\`"]?${table}[\`"]? where [\`"]?id[\`"]? in`).test(sql)
      )
    const published = await openRecordingQueries(client, `/faq-entries/${entry.id}`, supervisor)
    published.page.assertStatus(200)
    published.page.assertTextIncludes('防災')
    published.page.assertTextIncludes('課長 次郎')
    assert.lengthOf(reads(published.queries, 'topics'), 1)
    assert.lengthOf(reads(published.queries, 'users'), 1)
    const history = await openRecordingQueries(
      client,
      `/faq-entries/${entry.id}/history`,
      supervisor
    )
    history.page.assertStatus(200)
    history.page.assertTextIncludes('広聴 一郎')
    history.page.assertTextIncludes('課長 次郎')
    assert.lengthOf(reads(history.queries, 'users'), 1)

    const audit = (await lastAudit('faq_entry.approved'))!
    assert.equal(audit.subjectId, String(entry.id))
    assert.equal(audit.actorId, supervisor.id)
    mails.assertQueued(FaqDecisionMail, (message) => {
      message.message.assertTo('author@ward.example.jp')
      message.message.assertSubject('【FAQ承認】避難所はどこですか')
      return true
    })

    const citizenPage = await client.get(`/faq/${entry.id}`)
    citizenPage.assertStatus(200)
    citizenPage.assertTextIncludes('お住まいの地域の区立小中学校が避難所です。')
    citizenPage.assertTextIncludes('防災マップ')
    assert.notInclude(citizenPage.text(), '内線1234')
  })

  test('a change awaiting approval is not shown to citizens: the published version stays until approved', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, safety } = await scene()
    mail.fake()
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})

    // The author changes the answer and asks again.
    await client
      .put(`/faq-entries/${entry.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        form(tree.kocho.id, safety.id, {
          answerText: '区立小中学校と地域センターが避難所です。防災マップでご確認ください。',
        })
      )
    await entry.refresh()
    assert.equal(entry.status, 'draft')
    assert.isNotNull(entry.publishedVersionId)
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')

    const citizenPage = await client.get(`/faq/${entry.id}`)
    citizenPage.assertTextIncludes('お住まいの地域の区立小中学校が避難所です。')
    assert.notInclude(citizenPage.text(), '地域センター')
    // Nor found by the citizen search.
    const search = await client.get('/faq').qs({ q: '地域センター' })
    search.assertTextIncludes('該当する質問は見つかりませんでした')

    // The supervisor sees what changes, character by character.
    const review = await client.get(`/faq-entries/${entry.id}`).loginAs(supervisor)
    review.assertTextIncludes('公開中の版との違い')
    assert.include(review.text(), '<del class="diff-removed">お住まいの地域の</del>')
    assert.include(review.text(), '<ins class="diff-added">と地域センター</ins>')

    await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})
    const after = await client.get(`/faq/${entry.id}`)
    after.assertTextIncludes('区立小中学校と地域センターが避難所です。')
    const hits = await client.get('/faq').qs({ q: '地域センター' })
    hits.assertTextIncludes('避難所はどこですか')

    // Versions and their difference.
    const history = await client
      .get(`/faq-entries/${entry.id}/history`)
      .loginAs(staff)
      .qs({ from: 1, to: 2 })
    history.assertStatus(200)
    history.assertTextIncludes('第1版 → 第2版')
    assert.include(history.text(), '<ins class="diff-added">と地域センター</ins>')
  })

  test('the supervisor sends a change back with a comment: audited, author mailed, draft again', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, safety } = await scene()
    const { mails } = mail.fake()
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()

    // A return without a reason is refused with a Japanese message, not an error page.
    const empty = await client
      .post(`/faq-entries/${entry.id}/return`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ comment: '' })
      .redirects(0)
    empty.assertStatus(302)
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')

    await client
      .post(`/faq-entries/${entry.id}/return`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ comment: '避難所の一覧へのリンクを加えてください。' })
    await entry.refresh()
    assert.equal(entry.status, 'draft')
    assert.isNull(entry.publishedVersionId)
    const version = await FaqVersion.query().where('faqEntryId', entry.id).firstOrFail()
    assert.equal(version.state, 'returned')
    assert.equal(version.decisionComment, '避難所の一覧へのリンクを加えてください。')

    const audit = (await lastAudit('faq_entry.returned'))!
    assert.equal(audit.actorId, supervisor.id)
    assert.notInclude(`${audit.details}`, 'リンク')
    mails.assertQueued(FaqDecisionMail, (message) => {
      message.message.assertTo('author@ward.example.jp')
      message.message.assertSubject('【FAQ差戻し】避難所はどこですか')
      message.message.assertTextIncludes('避難所の一覧へのリンクを加えてください。')
      return true
    })

    const page = await client.get(`/faq-entries/${entry.id}`).loginAs(staff)
    page.assertTextIncludes('差し戻されました（第1版）')
    page.assertTextIncludes('避難所の一覧へのリンクを加えてください。')
  })

  test('denials: other department, plain staff, own request, operator; nothing changes', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, otherStaff, otherSupervisor, operator, safety } = await scene()
    mail.fake()
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')

    // Other department's staff cannot edit, request, or see the draft.
    const viewDenied = await client.get(`/faq-entries/${entry.id}`).loginAs(otherStaff)
    viewDenied.assertStatus(403)
    const editDenied = await client.get(`/faq-entries/${entry.id}/edit`).loginAs(otherStaff)
    editDenied.assertStatus(403)
    const requestDenied = await client
      .post(`/faq-entries/${entry.id}/approval-request`)
      .loginAs(otherStaff)
      .withCsrfToken()
    requestDenied.assertStatus(403)
    // Nor write an entry for a department not theirs.
    const foreign = await client
      .post('/faq-entries')
      .loginAs(otherStaff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id, { question: '他課のFAQ' }))
      .redirects(0)
    foreign.assertStatus(302)
    assert.isNull(await FaqEntry.findBy('question', '他課のFAQ'))

    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    for (const user of [otherSupervisor, staff, otherStaff, operator]) {
      const approvalDenied = await client
        .post(`/faq-entries/${entry.id}/approval`)
        .loginAs(user)
        .withCsrfToken()
        .form({})
      approvalDenied.assertStatus(403)
      const returnDenied = await client
        .post(`/faq-entries/${entry.id}/return`)
        .loginAs(user)
        .withCsrfToken()
        .form({ comment: '不可' })
      returnDenied.assertStatus(403)
    }
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')
    assert.isNull(entry.publishedVersionId)

    // A supervisor does not approve a request they made themselves.
    await entry.merge({ status: 'draft' }).save()
    await FaqVersion.query().where('faqEntryId', entry.id).update({ state: 'returned' })
    await client
      .post(`/faq-entries/${entry.id}/approval-request`)
      .loginAs(supervisor)
      .withCsrfToken()
    const ownApproval = await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})
    ownApproval.assertStatus(403)
    await entry.refresh()
    assert.equal(entry.status, 'awaiting_approval')
  })

  test('validation: Japanese messages for missing fields and a bad related link', async ({
    client,
    assert,
  }) => {
    const { tree, staff, safety } = await scene()
    const missing = await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', '/faq-entries/create')
      .form(form(tree.kocho.id, safety.id, { question: '', answerText: '' }))
    missing.assertTextIncludes('質問を入力してください')
    missing.assertTextIncludes('回答を入力してください')

    const badLink = await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', '/faq-entries/create')
      .form(
        form(tree.kocho.id, safety.id, {
          relatedLinks: '防災マップ https://example.jp/\njavascript:alert(1)',
        })
      )
    badLink.assertTextIncludes('関連リンクの2行目を「名称 https://…」の形にしてください。')
    assert.equal(
      await FaqEntry.query()
        .count('* as total')
        .then((rows) => Number(rows[0].$extras.total)),
      0
    )
  })

  test('withdrawal takes a published entry offline at once; only the department supervisor may', async ({
    client,
    assert,
  }) => {
    const { tree, staff, supervisor, otherSupervisor, safety } = await scene()
    mail.fake()
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
    const entry = await FaqEntry.findByOrFail('question', '避難所はどこですか')
    await client.post(`/faq-entries/${entry.id}/approval-request`).loginAs(staff).withCsrfToken()
    await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({})
    const hits = await client.get('/faq').qs({ q: '避難所' })
    hits.assertTextIncludes('避難所はどこですか')

    const otherDepartment = await client
      .post(`/faq-entries/${entry.id}/withdrawal`)
      .loginAs(otherSupervisor)
      .withCsrfToken()
    otherDepartment.assertStatus(403)
    const plainStaff = await client
      .post(`/faq-entries/${entry.id}/withdrawal`)
      .loginAs(staff)
      .withCsrfToken()
    plainStaff.assertStatus(403)
    await client.post(`/faq-entries/${entry.id}/withdrawal`).loginAs(supervisor).withCsrfToken()
    await entry.refresh()
    assert.equal(entry.status, 'withdrawn')
    const notFound = await client.get(`/faq/${entry.id}`)
    notFound.assertStatus(404)
    const noHits = await client.get('/faq').qs({ q: '避難所' })
    noHits.assertTextIncludes('該当する質問は見つかりませんでした')
    assert.exists(await lastAudit('faq_entry.withdrawn'))
  })

  test('management list and CSV export are scoped to the user’s departments', async ({
    client,
    assert,
  }) => {
    const { tree, staff, otherStaff, safety, traffic } = await scene()
    await client
      .post('/faq-entries')
      .loginAs(staff)
      .withCsrfToken()
      .form(form(tree.kocho.id, safety.id))
    await client
      .post('/faq-entries')
      .loginAs(otherStaff)
      .withCsrfToken()
      .form(form(tree.kikikanri.id, traffic.id, { question: '駐輪場の場所を教えてください' }))

    const { page: list, queries } = await openRecordingQueries(client, '/faq-entries', staff)
    list.assertStatus(200)
    list.assertTextIncludes('避難所はどこですか')
    assert.notInclude(list.text(), '駐輪場の場所')
    // Each row names its topic and department: the topics from the filter's one read, the
    // department from the request's organisation.
    list.assertTextIncludes(`<td>${safety.name}</td>`)
    list.assertTextIncludes(`<td>${tree.kocho.name}</td>`)
    const reads = (table: string) =>
      queries.filter((sql) => new RegExp(`^select .* from [\`"]?${table}[\`"]?\\s`).test(sql))
    assert.lengthOf(reads('topics'), 1)
    assert.lengthOf(reads('departments'), 1)

    const csv = await client.get('/faq-entries/export').loginAs(staff)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const text = csv.text()
    assert.isTrue(
      text.startsWith('\uFEFF台帳ID,旧ID,分野コード,分野名,所属コード,所属名,質問,回答')
    )
    assert.include(text, '避難所はどこですか')
    assert.include(text, '防災マップ https://www.city.example.jp/bosai/map.html')
    assert.notInclude(text, '駐輪場の場所')

    const sjis = await client.get('/faq-entries/export').qs({ encoding: 'cp932' }).loginAs(staff)
    sjis.assertStatus(200)
    assert.include(sjis.header('content-type'), 'Shift_JIS')

    const response = await client
      .get('/faq-entries')
      .loginAs(await UserFactory.apply('operator').create())
    response.assertStatus(403)
  })
})
