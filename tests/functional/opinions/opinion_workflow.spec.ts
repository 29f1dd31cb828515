import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import OpinionEvent from '#models/opinion_event'
import OpinionReply from '#models/opinion_reply'
import OpinionAlertMail from '#mails/opinions/opinion_alert_mail'
import OpinionCitizenNoticeMail from '#mails/opinions/opinion_citizen_notice_mail'
import OpinionAlerts from '#services/opinions/opinion_alerts'
import Clock, { FixedClock } from '#services/clock'
import CallCenterRetention from '#services/opinions/call_center_retention'
import Department from '#models/department'
import { UserFactory } from '#database/factories/user_factory'
import { OpinionDepartmentFactory } from '#database/factories/opinion_department_factory'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import { lastAudit, openRecordingQueries, withQueries } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

test.group('Opinions: forwarding, handling and history', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('forwarding to two departments with a lead: each sees it, the department mail goes out at once', async ({
    client,
    assert,
  }) => {
    const { operator, tree, kochoStaff, kikiStaff, kikiSupervisor } = await opinionScene()
    const { mails } = mail.fake()
    const opinion = await makeOpinion({ subject: '避難所の案内について' })
    const response = await client
      .post(`/opinions/${opinion.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .form({
        'departmentIds[]': [String(tree.kikikanri.id), String(tree.kocho.id)],
        'leadDepartmentId': String(tree.kikikanri.id),
        'note': '至急',
      })
      .redirects(0)
    response.assertStatus(302)
    await opinion.refresh()
    assert.equal(opinion.leadDepartmentId, tree.kikikanri.id)
    assert.equal(opinion.status, 'forwarded')
    const forwards = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'forwarded')
    assert.lengthOf(forwards, 2)
    mails.assertQueued(
      OpinionAlertMail,
      (sent) => sent.message.hasTo(kikiStaff.email) && sent.message.hasBcc(kikiSupervisor.email)
    )
    mails.assertQueued(OpinionAlertMail, (sent) => sent.message.hasTo(kochoStaff.email))
    for (const user of [kochoStaff, kikiStaff]) {
      const ok = await client.get(`/opinions/${opinion.id}`).loginAs(user)
      ok.assertStatus(200)
      const page = await client.get('/opinions').loginAs(user)
      page.assertTextIncludes('避難所の案内について')
    }
  })

  test('a department sees only what is forwarded to it; other opinions are 403 and absent from its list', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, kochoStaff, contractor } = await opinionScene()
    const kochoOnly = await makeOpinion({ subject: '広聴担当課だけの意見' }, [tree.kocho])
    const unforwarded = await makeOpinion({ subject: 'まだ転送していない意見' })
    const kochoOnlyAsKiki = await client.get(`/opinions/${kochoOnly.id}`).loginAs(kikiStaff)
    kochoOnlyAsKiki.assertStatus(403)
    const unforwardedAsKocho = await client.get(`/opinions/${unforwarded.id}`).loginAs(kochoStaff)
    unforwardedAsKocho.assertStatus(403)
    const list = await client.get('/opinions').loginAs(kikiStaff)
    assert.notInclude(list.text(), '広聴担当課だけの意見')
    assert.notInclude(list.text(), 'まだ転送していない意見')
    const kochoOnlyAsContractor = await client.get(`/opinions/${kochoOnly.id}`).loginAs(contractor)
    kochoOnlyAsContractor.assertStatus(403)
    const kikiForward = await client
      .post(`/opinions/${kochoOnly.id}/forward`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ 'departmentIds[]': [String(tree.kikikanri.id)] })
    kikiForward.assertStatus(403)
  })

  test('after-hours intake is announced to the department only at hand-over', async ({
    assert,
  }) => {
    const { tree, kikiStaff } = await opinionScene()
    const { mails } = mail.fake()
    const opinion = await makeOpinion({
      channel: 'call_center',
      receivedAt: tokyo('2026-11-21T20:00'),
      handoverAt: tokyo('2026-11-24T08:30'),
    })
    // Forwarded, not yet announced (no notifiedAt).
    await OpinionDepartmentFactory.apply('lead')
      .merge({ opinionId: opinion.id, departmentId: tree.kikikanri.id })
      .create()
    // Made after mail.fake(): the injected mailer is the fake one.
    const alerts = await app.container.make(OpinionAlerts)
    assert.equal(
      await alerts.announceForwarded(tokyo('2026-11-22T09:00')),
      0,
      'Sunday: not yet handed over'
    )
    mails.assertNoneQueued()
    const { result: announced, queries } = await withQueries(() =>
      alerts.announceForwarded(tokyo('2026-11-24T08:30'))
    )
    assert.equal(announced, 1)
    // The mail names the opinion by number, subject and due date: no submitter field is read.
    const opinionReads = queries.filter(
      (sql) => sql.match(/^select .*? from [`"]?(\w+)/)?.[1] === 'opinions'
    )
    assert.lengthOf(opinionReads, 1)
    assert.notMatch(opinionReads[0], /^select \*|submitter/)
    assert.equal(await alerts.announceForwarded(tokyo('2026-11-24T13:00')), 0, 'once only')
    mails.assertQueuedCount(OpinionAlertMail, 1)
    mails.assertQueued(OpinionAlertMail, (sent) => {
      sent.message.assertTo(kikiStaff.email)
      return String(sent.message.toJSON().message.text).includes(opinion.referenceNo)
    })
  })

  test('each department records its handling; the history can be corrected, the original stays', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, kochoStaff, operator } = await opinionScene()
    const opinion = await makeOpinion({}, [tree.kikikanri, tree.kocho])
    await client
      .post(`/opinions/${opinion.id}/handlings`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({
        departmentId: String(tree.kikikanri.id),
        handlingKind: 'explanation',
        note: '電話で避難所の場所を説明した。',
        occurredAt: '2026-11-20T11:00',
      })
      .redirects(0)
    const otherDepartmentHandling = await client
      .post(`/opinions/${opinion.id}/handlings`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({
        departmentId: String(tree.kocho.id),
        handlingKind: 'reply',
        note: '他課の処理は記録できない',
      })
    otherDepartmentHandling.assertStatus(403)
    const handled = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'handled')
      .firstOrFail()
    assert.equal(handled.handlingKind, 'explanation')
    const assignment = await db
      .from('opinion_departments')
      .where('opinion_id', opinion.id)
      .where('department_id', tree.kikikanri.id)
      .first()
    assert.equal(assignment.handling_status, 'handled')

    const correctionForm = `/opinions/${opinion.id}/events/${handled.id}/corrections`
    const ownPage = await client.get(`/opinions/${opinion.id}`).loginAs(kikiStaff)
    ownPage.assertTextIncludes(correctionForm)
    const otherDepartmentPage = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
    assert.notInclude(
      otherDepartmentPage.text(),
      correctionForm,
      'no form where the correction is refused'
    )
    const otherDepartmentCorrection = await client
      .post(`/opinions/${opinion.id}/events/${handled.id}/corrections`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ note: '他人の記録' })
    otherDepartmentCorrection.assertStatus(403)
    await client
      .post(`/opinions/${opinion.id}/events/${handled.id}/corrections`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ note: '電話で避難所（区立第一小学校）の場所を説明した。' })
      .redirects(0)
    const correction = await OpinionEvent.query().where('correctsEventId', handled.id).firstOrFail()
    assert.equal(correction.kind, 'correction')
    await handled.refresh()
    assert.equal(handled.body, '電話で避難所の場所を説明した。', 'the original is kept')
    assert.exists(await lastAudit('opinion.correct_history'))

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    page.assertTextIncludes('この記録は訂正されています')
    page.assertTextIncludes('区立第一小学校')

    // An entry of the opinion office, which records as itself, without a department.
    await OpinionEvent.create({
      opinionId: opinion.id,
      kind: 'note',
      departmentId: null,
      userId: operator.id,
      body: '第一小学校の件で再度の電話あり',
      occurredAt: DateTime.now(),
    })
    const { page: search, queries } = await openRecordingQueries(
      client,
      '/opinions/history?q=第一小学校',
      kikiStaff
    )
    search.assertTextIncludes(`<td>${operator.fullName}</td>`)
    search.assertTextIncludes(opinion.referenceNo)
    search.assertTextIncludes(opinion.subject)
    // Who recorded it and where: the department named from the organisation the request read.
    search.assertTextIncludes(`危機管理課・${kikiStaff.fullName}`)
    // The opinions are read for their number and subject only: no submitter field is read (and
    // decrypted) for a page that shows none; no department is read by id.
    const opinionReads = queries.filter(
      (sql) => sql.match(/^select .*? from [`"]?(\w+)/)?.[1] === 'opinions'
    )
    assert.lengthOf(opinionReads, 1)
    assert.notMatch(opinionReads[0], /submitter|^select \*/)
    assert.deepEqual(
      queries.filter((sql) => /from [`"]?departments[`"]? where [`"]?id[`"]?/.test(sql)),
      []
    )
    const unrelated = await Department.create({
      code: 't-kotsu',
      name: '交通対策課',
      level: 'ka',
      sortOrder: 9,
    })
    const outsider = await UserFactory.merge({ departmentId: unrelated.id }).create()
    const elsewhere = await client.get('/opinions/history').qs({ q: '避難所' }).loginAs(outsider)
    assert.notInclude(
      elsewhere.text(),
      opinion.referenceNo,
      'history of other departments stays hidden'
    )
  })
})

test.group('Opinions: replies', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('draft → approval request → sent back → approved by the supervisor → sent in the portal with a notice mail', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, kikiSupervisor, kochoSupervisor, kochoStaff, citizen } =
      await opinionScene()
    const { mails } = mail.fake()
    const opinion = await makeOpinion(
      { citizenId: citizen.id, channel: 'web', replyMethod: 'portal', subject: '防災マップ' },
      [tree.kikikanri, tree.kocho]
    )

    const kochoDraft = await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: '非主管課', method: 'portal' })
    kochoDraft.assertStatus(403)
    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ body: '防災マップは区役所で配布しています。', method: 'portal' })
      .redirects(0)
    const reply = await OpinionReply.findByOrFail('opinionId', opinion.id)
    assert.equal(reply.status, 'draft')
    assert.equal(reply.departmentId, tree.kikikanri.id)
    // The request goes to the department's approvers (承認者), whoever they are.
    const draftPage = await client.get(`/opinions/${opinion.id}`).loginAs(kikiStaff)
    draftPage.assertTextIncludes('>承認を依頼する</button>')
    assert.notInclude(draftPage.text(), '上位者に承認を依頼')

    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    await reply.refresh()
    await opinion.refresh()
    assert.equal(reply.status, 'awaiting_approval')
    assert.equal(opinion.status, 'awaiting_approval')

    const kochoSupervisorApproval = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kochoSupervisor)
      .withCsrfToken()
    kochoSupervisorApproval.assertStatus(403)
    const kikiStaffApproval = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kikiStaff)
      .withCsrfToken()
    kikiStaffApproval.assertStatus(403)
    const kikiStaffSend = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/send`)
      .loginAs(kikiStaff)
      .withCsrfToken()
    kikiStaffSend.assertStatus(403)
    const portalBefore = await client
      .get(`/citizen/opinions/${opinion.id}`)
      .withGuard('citizen')
      .loginAs(citizen)
    assert.notInclude(portalBefore.text(), '区役所で配布', 'not visible before it is sent')

    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/return`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .form({ returnComment: '配布場所を具体的に' })
      .redirects(0)
    await reply.refresh()
    assert.equal(reply.status, 'returned')
    assert.equal(reply.returnComment, '配布場所を具体的に')
    assert.exists(await lastAudit('opinion.reply_returned'))

    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ body: '防災マップは区役所本庁舎1階で配布しています。', method: 'portal' })
      .redirects(0)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kikiSupervisor)
      .withCsrfToken()
      .redirects(0)
    await reply.refresh()
    assert.equal(reply.status, 'approved')
    assert.equal(reply.approvedByUserId, kikiSupervisor.id)

    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/send`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    await opinion.refresh()
    assert.equal(opinion.status, 'replied')
    assert.isNotNull(opinion.repliedAt)
    assert.equal(opinion.replyOpenDays, 0)
    const [notice] = mails.queued(
      (sent) => sent instanceof OpinionCitizenNoticeMail && sent.message.hasTo(citizen.email)
    )
    assert.exists(notice)
    const text = String(notice.message.toJSON().message.text)
    assert.include(text, opinion.referenceNo)
    assert.notInclude(text, '防災マップ', 'the mail only says that a reply waits')

    const portal = await client
      .get(`/citizen/opinions/${opinion.id}`)
      .withGuard('citizen')
      .loginAs(citizen)
    portal.assertTextIncludes('区役所本庁舎1階で配布')
    portal.assertTextIncludes('危機管理課')
    await reply.refresh()
    assert.isNotNull(reply.readAt)

    const found = await client.get('/opinions').qs({ q: '本庁舎' }).loginAs(kikiStaff)
    found.assertTextIncludes('防災マップ') // replies are searchable

    await client
      .post(`/opinions/${opinion.id}/close`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    await opinion.refresh()
    assert.equal(opinion.status, 'closed')
  })

  test('a letter reply is recorded as posted; the reply may not be edited while it awaits approval', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, kochoSupervisor } = await opinionScene()
    mail.fake()
    const opinion = await makeOpinion({ receivedAt: DateTime.now().minus({ days: 7 }) }, [
      tree.kocho,
    ])
    await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ body: '回答します。', method: 'letter' })
      .redirects(0)
    const reply = await OpinionReply.findByOrFail('opinionId', opinion.id)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .redirects(0)
    const locked = await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .form({ body: '書き換え', method: 'letter' })
      .redirects(0)
    locked.assertFlashMessage('errors', {
      body: [
        '承認待ち又は承認済みの回答は編集できません（承認者が差し戻してから編集してください）。',
      ],
    })
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/approve`)
      .loginAs(kochoSupervisor)
      .withCsrfToken()
      .redirects(0)
    await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/send`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .redirects(0)
    await reply.refresh()
    await opinion.refresh()
    assert.equal(reply.status, 'sent')
    assert.equal(reply.body, '回答します。')
    assert.equal(opinion.status, 'replied')
    assert.isAbove(opinion.replyOpenDays!, 2)
    const history = await OpinionEvent.query().where('opinionId', opinion.id).orderBy('id')
    assert.includeMembers(
      history.map((event) => event.kind),
      ['reply_drafted', 'reply_requested', 'reply_approved', 'reply_sent']
    )
  })

  test('an approved reply is sent on the day of the injected clock: reply date and open days follow it', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, kochoSupervisor } = await opinionScene()
    mail.fake()
    const opinion = await makeOpinion({ receivedAt: tokyo('2026-11-02T10:00') }, [tree.kocho])
    const reply = await OpinionReplyFactory.apply('approved')
      .merge({
        opinionId: opinion.id,
        departmentId: tree.kocho.id,
        draftedByUserId: kochoStaff.id,
        approvedByUserId: kochoSupervisor.id,
      })
      .create()
    const sentAt = tokyo('2026-11-10T15:00')
    app.container.swap(Clock, () => new FixedClock(sentAt))
    try {
      await client
        .post(`/opinions/${opinion.id}/replies/${reply.id}/send`)
        .loginAs(kochoStaff)
        .withCsrfToken()
        .redirects(0)
    } finally {
      app.container.restore(Clock)
    }
    await opinion.refresh()
    await reply.refresh()
    assert.equal(reply.status, 'sent')
    assert.equal(opinion.status, 'replied')
    assert.equal(opinion.repliedAt!.toMillis(), sentAt.toMillis())
    assert.equal(reply.sentAt!.toMillis(), sentAt.toMillis())
    assert.equal(opinion.replyOpenDays, OpinionSchedule.replyOpenDays(opinion.receivedAt, sentAt))
    assert.isAbove(opinion.replyOpenDays!, 0)
  })

  test('the portal method is refused for a submitter without an account', async ({ client }) => {
    const { tree, kochoStaff } = await opinionScene()
    const opinion = await makeOpinion({}, [tree.kocho])
    const response = await client
      .post(`/opinions/${opinion.id}/replies`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .form({ body: '回答', method: 'portal' })
      .redirects(0)
    response.assertFlashMessage('errors', {
      method: ['マイページでの回答は、Webで登録した区民の方の意見等にだけ使えます。'],
    })
  })

  test('closing without the owed reply needs a reason', async ({ client, assert }) => {
    const { tree, kochoStaff } = await opinionScene()
    const opinion = await makeOpinion({}, [tree.kocho])
    const refused = await client
      .post(`/opinions/${opinion.id}/close`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('referer', `/opinions/${opinion.id}`)
      .redirects(0)
    refused.assertFlashMessage('errors', {
      closeNote: ['回答せずに完了する場合は理由を入力してください。'],
    })
    const json = await client
      .post(`/opinions/${opinion.id}/close`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('accept', 'application/json')
      .redirects(0)
    json.assertStatus(422)
    json.assertBodyContains({
      errors: [{ field: 'closeNote', message: '回答せずに完了する場合は理由を入力してください。' }],
    })
    await opinion.refresh()
    assert.notEqual(opinion.status, 'closed', 'a refusal saves nothing')
    await client
      .post(`/opinions/${opinion.id}/close`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ closeNote: '申出人が取り下げた' })
      .redirects(0)
    await opinion.refresh()
    assert.equal(opinion.status, 'closed')
  })
})

test.group('Opinions: due-date alerts and the dashboard', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('near-due and overdue alerts reach the lead department once per stage', async ({
    assert,
  }) => {
    const { tree, kikiStaff } = await opinionScene()
    const { mails } = mail.fake()
    // Received 2026-11-02: due 2026-11-24 (14 open days; 11/3 文化の日 and 11/23 勤労感謝の日 excluded).
    const opinion = await makeOpinion({ receivedAt: tokyo('2026-11-02T10:00') }, [tree.kikikanri])
    assert.equal(opinion.dueOn!.toISODate(), '2026-11-24')
    // The daily run reads today from the injected Clock: a fixed clock per day, swapped through the container.
    const remindOn = async (day: string) => {
      app.container.swap(Clock, () => new FixedClock(tokyo(day)))
      try {
        const alerts = await app.container.make(OpinionAlerts)
        return await alerts.remindDue()
      } finally {
        app.container.restore(Clock)
      }
    }
    assert.deepEqual(await remindOn('2026-11-17'), { near_due: 0, overdue: 0 })
    assert.deepEqual(
      await remindOn('2026-11-19'),
      { near_due: 1, overdue: 0 },
      '3 open days before'
    )
    assert.deepEqual(await remindOn('2026-11-20'), { near_due: 0, overdue: 0 })
    assert.deepEqual(await remindOn('2026-11-25'), { near_due: 0, overdue: 1 })
    assert.deepEqual(await remindOn('2026-11-26'), { near_due: 0, overdue: 0 })
    mails.assertQueuedCount(OpinionAlertMail, 2)
    mails.assertQueued(
      OpinionAlertMail,
      (sent) =>
        sent.message.hasTo(kikiStaff.email) &&
        sent.message.hasSubject('【区民の声】回答期限を過ぎています（危機管理課・1件）')
    )
  })

  test('each list row: number, received moment, lead department, status and due state as of the clock', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff } = await opinionScene()
    // Received 2026-11-02 10:00: due 2026-11-24 (as above).
    const owed = await makeOpinion({ receivedAt: tokyo('2026-11-02T10:00') }, [tree.kikikanri])
    const closed = await makeOpinion({ receivedAt: tokyo('2026-11-02T11:30'), status: 'closed' }, [
      tree.kikikanri,
    ])
    const rowOf = (html: string, referenceNo: string) => {
      const at = html.indexOf(`>${referenceNo}</a>`)
      assert.isAbove(at, -1, referenceNo)
      return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at))
    }
    const listOn = async (day: string) => {
      app.container.swap(Clock, () => new FixedClock(tokyo(day)))
      try {
        const page = await client.get('/opinions').loginAs(kikiStaff)
        page.assertStatus(200)
        return page.text()
      } finally {
        app.container.restore(Clock)
      }
    }

    const onTime = rowOf(await listOn('2026-11-17T09:00'), owed.referenceNo)
    assert.include(onTime, '<time datetime="2026-11-02T10:00:00.000+09:00">令和8年11月2日</time>')
    assert.include(onTime, '危機管理課')
    assert.include(onTime, '<time datetime="2026-11-24">令和8年11月24日</time>')
    assert.notInclude(onTime, 'tag--')
    assert.notInclude(onTime, 'row--overdue')

    const nearDue = rowOf(await listOn('2026-11-19T09:00'), owed.referenceNo)
    assert.include(nearDue, '<strong class="tag tag--expiring">')
    assert.notInclude(nearDue, 'row--overdue')

    const overdueList = await listOn('2026-11-25T09:00')
    const overdue = rowOf(overdueList, owed.referenceNo)
    assert.include(overdue, 'class="row--overdue"')
    assert.include(overdue, '<strong class="tag tag--expired">期限超過</strong>')
    // A closed opinion owes nothing: no due state, whatever the date.
    const done = rowOf(overdueList, closed.referenceNo)
    assert.notInclude(done, 'row--overdue')
    assert.notInclude(done, 'tag--')
  })

  test('the start page shows new, near-due and overdue opinions of the department', async ({
    client,
  }) => {
    const { tree, kikiStaff } = await opinionScene()
    await makeOpinion({ receivedAt: DateTime.now().minus({ months: 2 }) }, [tree.kikikanri])
    await makeOpinion({ receivedAt: DateTime.now().minus({ months: 2 }) }, [tree.kocho])
    const page = await client.get('/dashboard').loginAs(kikiStaff)
    page.assertTextIncludes('回答期限超過: <strong>1</strong>')
    const overdue = await client.get('/opinions').qs({ due: 'overdue' }).loginAs(kikiStaff)
    overdue.assertTextIncludes('<strong class="tag tag--expired">期限超過</strong>')
  })
})

test.group('Opinions: call-center personal data retention', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('one year after collection the call center personal data is deleted, the text stays, the log has no data', async ({
    assert,
  }) => {
    await opinionScene()
    const old = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2025-11-20T19:00'),
      submitterName: '古い 電話',
      submitterPhone: '090-0000-0001',
      subject: '保存期間を過ぎた問合せ',
    })
    const recent = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2026-06-01T10:00'),
      submitterName: '新しい 電話',
    })
    const letter = await makeOpinion({
      channel: 'letter',
      receivedAt: tokyo('2024-04-01T10:00'),
      submitterName: '手紙 の人',
    })
    // Collected 2025-11-20: kept through 2026-11-20 (民法140条・143条), deleted from 2026-11-21.
    assert.equal(old.personalDataExpiresOn!.toISODate(), '2026-11-21')

    const result = await CallCenterRetention.purge(tokyo('2026-11-24'))
    assert.deepEqual(result, { count: 1, ids: [old.id] })
    await old.refresh()
    assert.isNull(old.submitterName)
    assert.isNull(old.submitterPhone)
    assert.isNotNull(old.personalDataDeletedAt)
    assert.equal(old.subject, '保存期間を過ぎた問合せ', 'the text stays for statistics')
    const raw = await db.from('opinions').where('id', old.id).first()
    assert.isNull(raw.name_index)
    assert.isNull(raw.phone_index)
    await recent.refresh()
    await letter.refresh()
    assert.equal(recent.submitterName, '新しい 電話')
    assert.equal(letter.submitterName, '手紙 の人')

    const audit = await lastAudit('opinion.purge_call_center_personal_data')
    assert.deepEqual(JSON.parse(String(audit!.details)), { count: 1, ids: [old.id] })
    assert.notInclude(JSON.stringify(audit!.toJSON()), '古い 電話')
    const event = await OpinionEvent.query()
      .where('opinionId', old.id)
      .where('kind', 'personal_data_deleted')
      .first()
    assert.exists(event)
    assert.deepEqual(
      await CallCenterRetention.purge(tokyo('2026-11-25')),
      { count: 0, ids: [] },
      'runs again without effect'
    )
  })
})
