import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import type { BaseMail } from '@adonisjs/mail'
import type Department from '#models/department'
import type User from '#models/user'
import DepartmentApprover from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import OpinionEvent from '#models/opinion_event'
import FaqVersion from '#models/faq_version'
import ApprovalRequestMail from '#mails/approvals/approval_request_mail'
import DelegatedApprovalMail from '#mails/approvals/delegated_approval_mail'
import ApprovalEscalationsJob from '#jobs/approvals/approval_escalations_job'
import Approvers from '#services/approvals/approvers'
import Clock, { FixedClock } from '#services/clock'
import { UserFactory } from '#database/factories/user_factory'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'
import { FaqEntryFactory } from '#database/factories/faq_factory'
import { CouncilItemFactory } from '#database/factories/council_item_factory'
import { departmentTree } from '#tests/helpers'
import { makeOpinion } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/** Monday 2026-11-09, 10:00: the next three open days are 10, 11 and 12 November. */
const MONDAY = tokyo('2026-11-09T10:00')

/**
 * 広聴担当課 names 課長 A as approver and 係長 B (staff) as acting approver; it also has a
 * drafter, another staff member and a supervisor who is not named. 危機管理課 names nobody and
 * has no supervisor. One privacy officer.
 */
async function scene() {
  const tree = await departmentTree()
  const user = (role: 'department_staff' | 'supervisor', department: Department, name: string) =>
    UserFactory.merge({
      role,
      departmentId: department.id,
      fullName: name,
      email: `${name}@ward.example.jp`,
    }).create()
  const approver = await user('supervisor', tree.kocho, 'approver')
  const acting = await user('department_staff', tree.kocho, 'acting')
  const drafter = await user('department_staff', tree.kocho, 'drafter')
  const colleague = await user('department_staff', tree.kocho, 'colleague')
  const unnamedSupervisor = await user('supervisor', tree.kocho, 'unnamed')
  const kikiStaff = await user('department_staff', tree.kikikanri, 'kiki')
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({
      fullName: 'officer',
      email: 'officer@ward.example.jp',
    })
    .create()
  await DepartmentApprover.createMany([
    { departmentId: tree.kocho.id, userId: approver.id, capacity: 'approver' },
    { departmentId: tree.kocho.id, userId: acting.id, capacity: 'acting' },
  ])
  return { tree, approver, acting, drafter, colleague, unnamedSupervisor, kikiStaff, officer }
}

/** A reply of 広聴担当課 waiting for approval, drafted and put forward by `drafter`. */
async function waitingReply(
  department: Department,
  drafter: User,
  requestedAt: DateTime = DateTime.now()
) {
  const opinion = await makeOpinion({ status: 'awaiting_approval' }, [department])
  const reply = await OpinionReplyFactory.apply('awaitingApproval')
    .merge({
      opinionId: opinion.id,
      departmentId: department.id,
      draftedByUserId: drafter.id,
      drafterUserIds: [drafter.id],
      requestedByUserId: drafter.id,
    })
    .create()
  // The factory's state stamps "now": the request time is set afterwards.
  await reply.merge({ requestedAt }).save()
  return { opinion, reply }
}

/** Addresses, subject and text of a queued mail. */
function opened(message: BaseMail) {
  const json = message.message.toJSON().message
  const addresses = (list: unknown) =>
    ([] as unknown[])
      .concat(list ?? [])
      .map((entry) => (typeof entry === 'string' ? entry : (entry as { address: string }).address))
  return {
    recipients: [...addresses(json.to), ...addresses(json.bcc)].sort(),
    subject: json.subject as string,
    text: json.text as string,
  }
}

/** Presses 承認 on a reply; the response status. */
async function approve(client: ApiClient, user: User, opinionId: number, replyId: number) {
  const response = await client
    .post(`/opinions/${opinionId}/replies/${replyId}/approve`)
    .loginAs(user)
    .withCsrfToken()
    .redirects(0)
  return response.status()
}

test.group('Approvers: who may approve', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    mail.restore()
    app.container.restore(Clock)
  })

  test('the named approver approves; other staff, an unnamed supervisor and the acting approver are refused while the approver is there', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter, colleague, unnamedSupervisor, officer } = await scene()
    mail.fake()
    const { opinion, reply } = await waitingReply(tree.kocho, drafter)
    for (const user of [colleague, unnamedSupervisor, acting, officer]) {
      const refusedStatus = await approve(client, user, opinion.id, reply.id)
      assert.equal(refusedStatus, 403, user.fullName)
    }
    await reply.refresh()
    assert.equal(reply.status, 'awaiting_approval')

    const approvedStatus = await approve(client, approver, opinion.id, reply.id)
    assert.equal(approvedStatus, 302)
    await reply.refresh()
    assert.equal(reply.status, 'approved')
    assert.equal(reply.approvedByUserId, approver.id)
  })

  test('the approver away: the acting approver approves, the history says why and the department is mailed', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter, colleague, unnamedSupervisor } = await scene()
    const { mails } = mail.fake()
    const today = DateTime.now().setZone('Asia/Tokyo')
    await UserAbsence.create({
      userId: approver.id,
      startsOn: today.minus({ days: 1 }).startOf('day'),
      endsOn: today.plus({ days: 3 }).startOf('day'),
      note: '出張',
    })
    const { opinion, reply } = await waitingReply(tree.kocho, drafter)

    const awayStatus = await approve(client, approver, opinion.id, reply.id)
    assert.equal(awayStatus, 403)
    const approvedStatus = await approve(client, acting, opinion.id, reply.id)
    assert.equal(approvedStatus, 302)
    await reply.refresh()
    assert.equal(reply.status, 'approved')
    assert.equal(reply.approvedByUserId, acting.id)

    const event = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'reply_approved')
      .firstOrFail()
    assert.equal(event.body, '代理承認者として承認（承認者が不在のため）')

    mails.assertQueuedCount(DelegatedApprovalMail, 1)
    const notice = opened(mails.queued((m) => m instanceof DelegatedApprovalMail)[0])
    assert.deepEqual(
      notice.recipients,
      [approver, drafter, colleague, unnamedSupervisor].map((user) => user.email).sort()
    )
    assert.equal(
      notice.subject,
      `【代理承認】区民の声への回答「${opinion.referenceNo}」（広聴担当課）`
    )
    assert.include(notice.text, 'actingさん（代理承認者）が承認しました。承認者が不在のためです。')
    assert.include(notice.text, `/opinions/${opinion.id}`)
  })

  test('the approver away: the acting approver sends a reply back, the history and the department’s mail say 差戻し with the comment', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter, colleague, unnamedSupervisor } = await scene()
    const { mails } = mail.fake()
    const today = DateTime.now().setZone('Asia/Tokyo')
    await UserAbsence.create({
      userId: approver.id,
      startsOn: today.minus({ days: 1 }).startOf('day'),
      endsOn: today.plus({ days: 3 }).startOf('day'),
    })
    const { opinion, reply } = await waitingReply(tree.kocho, drafter)

    const returned = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/return`)
      .loginAs(acting)
      .withCsrfToken()
      .form({ returnComment: '回答期限の記載を追加してください。' })
      .redirects(0)
    returned.assertStatus(302)
    await reply.refresh()
    assert.equal(reply.status, 'returned')
    assert.isNull(reply.approvedByUserId)

    const event = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'reply_returned')
      .firstOrFail()
    assert.equal(
      event.body,
      '代理承認者として差戻し（承認者が不在のため）\n回答期限の記載を追加してください。'
    )

    mails.assertQueuedCount(DelegatedApprovalMail, 1)
    const notice = opened(mails.queued((m) => m instanceof DelegatedApprovalMail)[0])
    assert.deepEqual(
      notice.recipients,
      [approver, drafter, colleague, unnamedSupervisor].map((user) => user.email).sort()
    )
    assert.equal(
      notice.subject,
      `【代理差戻し】区民の声への回答「${opinion.referenceNo}」（広聴担当課）`
    )
    assert.include(
      notice.text,
      'actingさん（代理承認者）が差し戻しました。承認者が不在のためです。'
    )
    assert.include(notice.text, '差戻しの理由: 回答期限の記載を追加してください。')
    assert.notInclude(notice.text, '承認しました')
    assert.notInclude(notice.subject, '代理承認')
  })

  test('no approver at all: the privacy officer approves an FAQ change, the department is told; a department that names none keeps its supervisors', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, officer, drafter, unnamedSupervisor } = await scene()
    const { mails } = mail.fake()
    const entry = await FaqEntryFactory.merge({
      departmentId: tree.kikikanri.id,
      updatedByUserId: kikiStaff.id,
      question: '防災マップはどこで入手できますか',
    }).create()
    const requested = await client
      .post(`/faq-entries/${entry.id}/approval-request`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    requested.assertStatus(302)
    // Nobody named, no supervisor: the request goes to the privacy office.
    mails.assertQueued(ApprovalRequestMail, (message) => {
      assert.deepEqual(opened(message).recipients, [officer.email])
      return message.stage === 'requested'
    })

    const approved = await client
      .post(`/faq-entries/${entry.id}/approval`)
      .loginAs(officer)
      .withCsrfToken()
      .form({})
      .redirects(0)
    approved.assertStatus(302)
    await entry.refresh()
    assert.equal(entry.status, 'published')
    mails.assertQueued(DelegatedApprovalMail, (message) => {
      const notice = opened(message)
      assert.deepEqual(notice.recipients, [kikiStaff.email])
      assert.include(notice.text, 'officerさん（個人情報保護担当）が承認しました。')
      assert.include(notice.text, '承認者が指定されていないためです。')
      return true
    })

    // 広聴担当課 without named approvers: its supervisors approve, the privacy officer does not.
    await DepartmentApprover.query().where('departmentId', tree.kocho.id).delete()
    const { opinion, reply } = await waitingReply(tree.kocho, drafter)
    assert.equal(await approve(client, officer, opinion.id, reply.id), 403)
    assert.equal(await approve(client, unnamedSupervisor, opinion.id, reply.id), 302)
  })

  test('nobody approves their own draft: not the acting approver, not the privacy officer', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, officer } = await scene()
    mail.fake()
    const today = DateTime.now().setZone('Asia/Tokyo').startOf('day')
    await UserAbsence.create({ userId: approver.id, startsOn: today, endsOn: today })
    const { opinion, reply } = await waitingReply(tree.kocho, acting)
    const ownStatus = await approve(client, acting, opinion.id, reply.id)
    assert.equal(ownStatus, 403)
    // The approver away and the acting approver the drafter: the privacy office can act.
    assert.equal(await approve(client, officer, opinion.id, reply.id), 302)

    const item = await CouncilItemFactory.merge({
      departmentId: tree.kikikanri.id,
      subject: '防災情報システムについて',
      createdByUserId: officer.id,
      drafterUserIds: [officer.id],
    }).create()
    const ownItem = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    assert.equal(ownItem.status(), 403)
    await item.refresh()
    assert.equal(item.status, 'draft')
  })

  test('a council item: the drafter asks, the approver is mailed and approves', async ({
    client,
    assert,
  }) => {
    const { tree, approver, drafter, colleague, kikiStaff } = await scene()
    const { mails } = mail.fake()
    const item = await CouncilItemFactory.merge({
      departmentId: tree.kocho.id,
      subject: '区民意見システムについて',
      createdByUserId: drafter.id,
      drafterUserIds: [drafter.id],
    }).create()
    const refused = await client
      .post(`/council/items/${item.id}/request-approval`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .redirects(0)
    assert.equal(refused.status(), 403)
    const asked = await client
      .post(`/council/items/${item.id}/request-approval`)
      .loginAs(drafter)
      .withCsrfToken()
      .redirects(0)
    asked.assertStatus(302)
    await item.refresh()
    assert.isNotNull(item.requestedAt)
    assert.equal(item.requestedByUserId, drafter.id)
    mails.assertQueuedCount(ApprovalRequestMail, 1)
    const request = opened(mails.queued((m) => m instanceof ApprovalRequestMail)[0])
    assert.deepEqual(request.recipients, [approver.email])
    assert.equal(
      request.subject,
      '【承認依頼】審議会の諮問・報告事項「区民意見システムについて」（広聴担当課）'
    )
    assert.include(request.text, 'drafterさんから承認の依頼がありました。')
    assert.include(request.text, `/council/items/${item.id}`)

    const colleagueApproval = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(colleague)
      .withCsrfToken()
      .redirects(0)
    colleagueApproval.assertStatus(403)
    const approved = await client
      .post(`/council/items/${item.id}/approve`)
      .loginAs(approver)
      .withCsrfToken()
      .redirects(0)
    approved.assertStatus(302)
    await item.refresh()
    assert.equal(item.status, 'approved')
    mails.assertNotQueued(DelegatedApprovalMail)
  })
})

test.group('Approvers: requests and escalation', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    mail.restore()
    app.container.restore(Clock)
  })

  test('a reply put forward mails the approver; after 3 open days the acting approvers and the privacy office are mailed once', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter, officer } = await scene()
    const { mails } = mail.fake()
    app.container.swap(Clock, () => new FixedClock(MONDAY))
    const opinion = await makeOpinion({ status: 'forwarded' }, [tree.kocho])
    const reply = await OpinionReplyFactory.merge({
      opinionId: opinion.id,
      departmentId: tree.kocho.id,
      draftedByUserId: drafter.id,
      drafterUserIds: [drafter.id],
    }).create()
    const asked = await client
      .post(`/opinions/${opinion.id}/replies/${reply.id}/request`)
      .loginAs(drafter)
      .withCsrfToken()
      .redirects(0)
    asked.assertStatus(302)
    await reply.refresh()
    assert.equal(reply.requestedAt!.toMillis(), MONDAY.toMillis())
    mails.assertQueuedCount(ApprovalRequestMail, 1)
    const request = opened(mails.queued((m) => m instanceof ApprovalRequestMail)[0])
    assert.deepEqual(request.recipients, [approver.email])
    assert.include(request.subject, '【承認依頼】区民の声への回答')
    assert.include(request.text, '承認依頼日: 令和8年11月9日')

    const escalations = () =>
      mails.queued((m) => m instanceof ApprovalRequestMail && m.stage === 'escalated')
    const runAt = async (moment: DateTime) => {
      app.container.swap(Clock, () => new FixedClock(moment))
      return new ApprovalEscalationsJob().run()
    }

    // Two open days later (Wednesday): not yet; the acting approver cannot act yet either.
    assert.equal(await runAt(tokyo('2026-11-11T09:00')), '0 approval requests escalated')
    assert.lengthOf(escalations(), 0)
    assert.equal(await approve(client, acting, opinion.id, reply.id), 403)

    // The third open day (Thursday): escalated once, however often the job runs.
    assert.equal(await runAt(tokyo('2026-11-12T08:45')), '1 approval requests escalated')
    await runAt(tokyo('2026-11-12T13:00'))
    await runAt(tokyo('2026-11-16T08:45'))
    assert.lengthOf(escalations(), 1)
    const escalation = opened(escalations()[0])
    assert.deepEqual(escalation.recipients, [acting.email, officer.email].sort())
    assert.include(escalation.subject, '【承認督促】区民の声への回答')
    assert.include(escalation.text, '承認依頼から3開庁日を過ぎても承認されていません。')
    await reply.refresh()
    assert.isNotNull(reply.approvalEscalatedAt)

    // Now the acting approver may act although the approver is there.
    const approvedStatus = await approve(client, acting, opinion.id, reply.id)
    assert.equal(approvedStatus, 302)
    mails.assertQueued(DelegatedApprovalMail, (message) =>
      opened(message).text.includes('承認依頼から3開庁日を過ぎたためです。')
    )
  })

  test('weekends and holidays do not count; FAQ and council requests escalate too; the my-work rule lists what each may approve', async ({
    assert,
  }) => {
    const { tree, approver, acting, drafter, officer, colleague } = await scene()
    const { mails } = mail.fake()
    // Friday 2026-10-30: open days after it are 11/2, 11/4 (11/3 文化の日), 11/5.
    const friday = tokyo('2026-10-30T16:00')
    const { reply } = await waitingReply(tree.kocho, drafter, friday)
    const entry = await FaqEntryFactory.merge({
      departmentId: tree.kocho.id,
      updatedByUserId: drafter.id,
      status: 'awaiting_approval',
    }).create()
    await FaqVersion.create({
      ...entry.content(),
      faqEntryId: entry.id,
      version: 1,
      state: 'awaiting_approval',
      requestedByUserId: drafter.id,
      requestedAt: friday,
    })
    const item = await CouncilItemFactory.merge({
      departmentId: tree.kocho.id,
      createdByUserId: drafter.id,
      drafterUserIds: [drafter.id],
      requestedAt: friday,
      requestedByUserId: drafter.id,
    }).create()

    const pendingOn = async (user: User, moment: DateTime) => {
      const pending = await Approvers.pendingFor(user, moment)
      return pending.map((one) => `${one.request.kind}:${one.capacity}:${one.overdue}`)
    }
    assert.deepEqual(await pendingOn(approver, tokyo('2026-11-04T09:00')), [
      'opinion_reply:approver:false',
      'faq_change:approver:false',
      'council_item:approver:false',
    ])
    assert.deepEqual(await pendingOn(acting, tokyo('2026-11-04T09:00')), [])
    assert.deepEqual(await pendingOn(drafter, tokyo('2026-11-05T09:00')), [])
    assert.deepEqual(await pendingOn(colleague, tokyo('2026-11-05T09:00')), [])
    assert.deepEqual(await pendingOn(officer, tokyo('2026-11-05T09:00')), [
      'opinion_reply:privacy_officer:true',
      'faq_change:privacy_officer:true',
      'council_item:privacy_officer:true',
    ])

    app.container.swap(Clock, () => new FixedClock(tokyo('2026-11-04T09:00')))
    assert.equal(await new ApprovalEscalationsJob().run(), '0 approval requests escalated')
    app.container.swap(Clock, () => new FixedClock(tokyo('2026-11-05T09:00')))
    assert.equal(await new ApprovalEscalationsJob().run(), '3 approval requests escalated')
    assert.equal(await new ApprovalEscalationsJob().run(), '0 approval requests escalated')
    await reply.load('opinion')
    const subjects = mails
      .queued((m) => m instanceof ApprovalRequestMail)
      .map((message) => opened(message).subject)
    assert.sameMembers(subjects, [
      `【承認督促】区民の声への回答「${reply.opinion.referenceNo}」（広聴担当課）`,
      `【承認督促】FAQの変更「${entry.question}」（広聴担当課）`,
      `【承認督促】審議会の諮問・報告事項「${item.subject}」（広聴担当課）`,
    ])
    await item.refresh()
    assert.isNotNull(item.approvalEscalatedAt)
    // Escalating decides nothing: all three still wait.
    assert.equal(item.status, 'draft')
    await entry.refresh()
    await reply.refresh()
    assert.equal(entry.status, 'awaiting_approval')
    assert.equal(reply.status, 'awaiting_approval')
  })
})
