import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Department from '#models/department'
import DepartmentApprover from '#models/department_approver'
import OpinionDepartment from '#models/opinion_department'
import type User from '#models/user'
import UserAbsence from '#models/user_absence'
import Approvers from '#services/approvals/approvers'
import Clock, { FixedClock } from '#services/clock'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { PersonalDataSystemFactory } from '#database/factories/personal_data_system_factory'
import { ContractFactory } from '#database/factories/contract_factory'
import { OversightDutyFactory } from '#database/factories/oversight_duty_factory'
import { HandlerRosterFactory } from '#database/factories/handler_roster_factory'
import { DeletionCertificateFactory } from '#database/factories/deletion_certificate_factory'
import { PeriodicReportFactory } from '#database/factories/periodic_report_factory'
import { IncidentReportFactory } from '#database/factories/incident_report_factory'
import { OpinionReplyFactory } from '#database/factories/opinion_reply_factory'
import { CouncilItemFactory } from '#database/factories/council_item_factory'
import { FaqEntryFactory } from '#database/factories/faq_factory'
import FaqVersion from '#models/faq_version'
import { departmentTree, openRecordingQueries, withQueries } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const today = () => DateTime.now().startOf('day')

/**
 * 広聴担当課 (kocho) and 危機管理課 (kiki), each with staff and a supervisor;
 * the opinion office; a privacy officer; two contractors with a contract each
 * (三幸 on a kocho system, 安心メール配信 on a kiki system); and for every kind of
 * work one item that waits and one that must not show.
 */
async function scene() {
  const people = await opinionScene()
  const { tree, kochoStaff, kochoSupervisor, kikiStaff } = people
  const kochoStaff2 = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '広聴 二郎',
  }).create()
  const officer = await UserFactory.apply('privacyOfficer').create()

  // 区民の声: seven forwards wait in 広聴担当課, one of them is kochoStaff's.
  const waiting = []
  for (let index = 1; index <= 7; index++) {
    waiting.push(
      await makeOpinion(
        {
          subject: `広聴課で待つ意見${index}`,
          status: 'forwarded',
          dueOn: today().plus({ days: 20 - index }),
        },
        [tree.kocho]
      )
    )
  }
  await OpinionDepartment.query()
    .where('opinionId', waiting[6].id)
    .update({ assignedUserId: kochoStaff.id, assignedAt: DateTime.now().toSQL() })
  const handled = await makeOpinion({ subject: '処理済みの意見', status: 'forwarded' }, [
    tree.kocho,
  ])
  await OpinionDepartment.query()
    .where('opinionId', handled.id)
    .update({ handlingStatus: 'handled', handledAt: DateTime.now().toSQL() })
  await makeOpinion({ subject: '完了した意見', status: 'closed' }, [tree.kocho])
  await makeOpinion({ subject: '危機管理課で待つ意見', status: 'forwarded' }, [tree.kikikanri])
  await makeOpinion({ subject: 'まだ転送していない意見' })

  // Approvals: a reply, an FAQ change and a council draft put forward by 広聴担当課 (and one not yet
  // put forward); a reply the supervisor drafted himself. Neither department names approvers.
  const replyOpinion = await makeOpinion(
    { subject: '承認を待つ回答の意見', status: 'awaiting_approval' },
    [tree.kocho]
  )
  await OpinionDepartment.query()
    .where('opinionId', replyOpinion.id)
    .update({ handlingStatus: 'handled', handledAt: DateTime.now().toSQL() })
  await OpinionReplyFactory.apply('awaitingApproval')
    .merge({
      opinionId: replyOpinion.id,
      departmentId: tree.kocho.id,
      draftedByUserId: kochoStaff.id,
      drafterUserIds: [kochoStaff.id],
      requestedByUserId: kochoStaff.id,
    })
    .create()
  const ownReplyOpinion = await makeOpinion(
    { subject: '自分で依頼した回答の意見', status: 'awaiting_approval' },
    [tree.kocho]
  )
  await OpinionDepartment.query()
    .where('opinionId', ownReplyOpinion.id)
    .update({ handlingStatus: 'handled', handledAt: DateTime.now().toSQL() })
  await OpinionReplyFactory.apply('awaitingApproval')
    .merge({
      opinionId: ownReplyOpinion.id,
      departmentId: tree.kocho.id,
      draftedByUserId: kochoStaff.id,
      drafterUserIds: [kochoStaff.id, kochoSupervisor.id],
      requestedByUserId: kochoStaff.id,
    })
    .create()
  const faq = await FaqEntryFactory.merge({
    departmentId: tree.kocho.id,
    topicId: null,
    question: '承認を待つFAQの質問',
    status: 'awaiting_approval',
    updatedByUserId: kochoStaff.id,
  }).create()
  await FaqVersion.create({
    ...faq.content(),
    faqEntryId: faq.id,
    version: 1,
    state: 'awaiting_approval',
    requestedByUserId: kochoStaff.id,
    requestedAt: DateTime.now(),
  })
  await CouncilItemFactory.merge({
    departmentId: tree.kocho.id,
    subject: '広聴課の諮問事項案',
    createdByUserId: kochoStaff.id,
    drafterUserIds: [kochoStaff.id],
    requestedAt: DateTime.now(),
    requestedByUserId: kochoStaff.id,
  }).create()
  await CouncilItemFactory.merge({
    departmentId: tree.kocho.id,
    subject: '広聴課の依頼前の案',
    createdByUserId: kochoStaff.id,
    drafterUserIds: [kochoStaff.id],
  }).create()
  await CouncilItemFactory.merge({
    departmentId: tree.kikikanri.id,
    subject: '危機管理課の諮問事項案',
    createdByUserId: kikiStaff.id,
    drafterUserIds: [kikiStaff.id],
    requestedAt: DateTime.now(),
    requestedByUserId: kikiStaff.id,
  }).create()

  // Oversight: 三幸's contract on a kocho system, 安心メール配信's on a kiki system.
  const [sanko, mailCo] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '安心メール配信株式会社' },
  ]).createMany(2)
  const kochoSystem = await PersonalDataSystemFactory.merge({
    departmentId: tree.kocho.id,
    name: '広聴システム',
  }).create()
  const kikiSystem = await PersonalDataSystemFactory.merge({
    departmentId: tree.kikikanri.id,
    name: '防災メールシステム',
  }).create()
  const own = await ContractFactory.apply('active')
    .merge({ systemId: kochoSystem.id, contractorId: sanko.id, title: 'コールセンター業務委託' })
    .create()
  const others = await ContractFactory.apply('active')
    .merge({ systemId: kikiSystem.id, contractorId: mailCo.id, title: 'メール配信業務委託' })
    .create()
  await OversightDutyFactory.merge([
    { contractId: own.id, kind: 'roster', periodKey: 'initial', dueOn: today().minus({ days: 3 }) },
    { contractId: own.id, kind: 'audit', periodKey: '2026', dueOn: today().plus({ days: 5 }) },
    { contractId: own.id, kind: 'training', periodKey: '2026', dueOn: today().plus({ days: 90 }) },
    {
      contractId: own.id,
      kind: 'periodic_report',
      periodKey: '2026-04',
      dueOn: today().minus({ days: 30 }),
      state: 'satisfied',
      satisfiedOn: today().minus({ days: 31 }),
    },
    {
      contractId: others.id,
      kind: 'roster',
      periodKey: 'initial',
      dueOn: today().minus({ days: 1 }),
    },
  ]).createMany(5)
  await HandlerRosterFactory.merge({ contractId: own.id, version: 2 }).create()
  await HandlerRosterFactory.apply('acknowledged')
    .merge({ contractId: own.id, version: 1 })
    .create()
  await HandlerRosterFactory.merge({ contractId: others.id, version: 1 }).create()
  await DeletionCertificateFactory.merge({ contractId: own.id, method: 'media_return' }).create()
  await DeletionCertificateFactory.apply('verified').merge({ contractId: own.id }).create()
  await PeriodicReportFactory.merge({ contractId: own.id, period: '2026-05' }).create()
  await PeriodicReportFactory.merge({
    contractId: own.id,
    period: '2025-12',
    submittedOn: today().minus({ days: 40 }),
  }).create()
  const sankoUser = await UserFactory.apply('contractor')
    .merge({ contractorId: sanko.id, fullName: '受託 健太' })
    .create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mailCo.id }).create()
  await IncidentReportFactory.merge({
    contractId: own.id,
    kind: 'mis_sending',
    reportedByUserId: sankoUser.id,
  }).create()
  await IncidentReportFactory.merge({
    contractId: own.id,
    kind: 'damage',
    reportedByUserId: kochoStaff.id,
    wardInstructions: '再発防止策を報告すること',
  }).create()
  await IncidentReportFactory.merge({
    contractId: others.id,
    kind: 'leak',
    reportedByUserId: mailUser.id,
  }).create()

  return { ...people, kochoStaff2, officer, own, others, sankoUser, mailUser, waiting }
}

/** The HTML of a page as the user sees it. */
async function pageText(client: ApiClient, path: string, user: User) {
  const response = await client.get(path).loginAs(user)
  response.assertStatus(200)
  return response.text()
}

async function assertStatusOf(client: ApiClient, path: string, user: User, status: number) {
  const response = await client.get(path).loginAs(user)
  response.assertStatus(status)
}

/** The text of one わたしの仕事 card (between its heading and the next card). */
function card(html: string, heading: string): string {
  const start = html.indexOf(`>${heading} <span class="my-work__count">`)
  if (start === -1) return ''
  const end = html.indexOf('</section>', start)
  return html.slice(start, end)
}

test.group('わたしの仕事: what waits for each role', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('department staff: the unhandled forwards of their department, mine counted apart, no other department', async ({
    client,
    assert,
  }) => {
    const { kochoStaff } = await scene()
    const page = await client.get('/dashboard').loginAs(kochoStaff)
    page.assertStatus(200)
    const html = page.text()
    const forwards = card(html, '所属に転送された意見等（未対応）')
    assert.include(forwards, '7件')
    assert.include(forwards, 'うち自分の担当: 1件')
    // The five earliest due dates first (意見7 is due first), then 「すべて見る」.
    for (const index of [7, 6, 5, 4, 3]) assert.include(forwards, `広聴課で待つ意見${index}`)
    assert.notInclude(forwards, '広聴課で待つ意見1')
    assert.isBelow(forwards.indexOf('広聴課で待つ意見7'), forwards.indexOf('広聴課で待つ意見6'))
    assert.include(forwards, 'すべて見る（7件）')
    assert.include(forwards, '自分の担当')
    assert.notInclude(html, '危機管理課で待つ意見')
    assert.notInclude(html, '処理済みの意見')
    assert.notInclude(html, '完了した意見')
    // Staff approve nothing; their department's oversight work is theirs.
    assert.notInclude(html, '承認を待つ回答')
    assert.include(card(html, '期限が近い・過ぎた監督上の義務'), 'コールセンター業務委託')
    assert.notInclude(html, 'メール配信業務委託')
    // Contractor submissions to check (my_work_oversight.spec.ts covers them in detail).
    const submissions = card(html, '確認を待つ受託事業者からの提出')
    assert.include(submissions, '取扱者名簿 第2版')
    assert.notInclude(submissions, '取扱者名簿 第1版')
    assert.include(submissions, '消去証明書（媒体の返却）')
    assert.include(card(html, '区の対応を待つ事故報告'), '誤送付・誤送信')
    assert.notInclude(card(html, '区の対応を待つ事故報告'), '毀損')
    assert.include(submissions, '定期報告 2026-05')
    assert.include(submissions, '定期報告 2025-12', 'unchecked, however long ago it came in')
    assert.include(submissions, '4件')
  })

  test('the department start page counts every unhandled forward (it showed 新着 0 while seven waited)', async ({
    client,
  }) => {
    const { kochoStaff, operator } = await scene()
    const page = await client.get('/dashboard').loginAs(kochoStaff)
    page.assertTextIncludes('新着（未処理）: <strong>7</strong>')
    page.assertTextIncludes('/opinions?handling=pending')
    const list = await client.get('/opinions').qs({ handling: 'pending' }).loginAs(kochoStaff)
    list.assertTextIncludes('7件')
    // The opinion office's "new" is what it has not forwarded yet.
    const office = await client.get('/dashboard').loginAs(operator)
    office.assertTextIncludes('新着（未転送）: <strong>1</strong>')
  })

  test('supervisor of a department that names no approver: its replies, FAQ changes and council items put forward, never their own', async ({
    client,
    assert,
  }) => {
    const { kochoSupervisor } = await scene()
    const { result: html, queries } = await withQueries(() =>
      pageText(client, '/dashboard', kochoSupervisor)
    )
    // The reply and forward rows name their opinions without reading a submitter field.
    assert.deepEqual(submitterReads(queries), [])
    const replies = card(html, '承認を待つ回答')
    assert.include(replies, '承認を待つ回答の意見')
    assert.include(replies, '1件')
    assert.notInclude(html, '自分で依頼した回答の意見')
    assert.include(card(html, '承認を待つFAQの変更'), '承認を待つFAQの質問')
    const council = card(html, '承認を待つ諮問・報告事項（作成中）')
    assert.include(council, '広聴課の諮問事項案')
    assert.notInclude(html, '広聴課の依頼前の案', 'a draft is listed once approval was asked for')
    assert.notInclude(html, '危機管理課の諮問事項案')
    // As the department's approver: no capacity mark, nothing waited 3 open days.
    assert.notInclude(html, '代理として')
    assert.notInclude(html, '承認依頼から3開庁日経過')
    assert.include(card(html, '所属に転送された意見等（未対応）'), '7件')
  })

  test('another department supervisor approves nothing of 広聴担当課', async ({
    client,
    assert,
  }) => {
    const { kikiSupervisor } = await scene()
    const html = await pageText(client, '/dashboard', kikiSupervisor)
    assert.include(card(html, '承認を待つ諮問・報告事項（作成中）'), '危機管理課の諮問事項案')
    assert.notInclude(html, '承認を待つ回答の意見')
    assert.notInclude(html, '承認を待つFAQの質問')
    assert.notInclude(html, '広聴課の諮問事項案')
    assert.include(card(html, '所属に転送された意見等（未対応）'), '危機管理課で待つ意見')
    assert.include(card(html, '期限が近い・過ぎた監督上の義務'), 'メール配信業務委託')
    assert.notInclude(html, 'コールセンター業務委託')
  })

  test('operator: what is received and not forwarded; no department queue, no oversight', async ({
    client,
    assert,
  }) => {
    const { operator } = await scene()
    const { page, queries } = await openRecordingQueries(client, '/dashboard', operator)
    page.assertStatus(200)
    const html = page.text()
    assert.include(card(html, '受付済・未転送の意見等'), 'まだ転送していない意見')
    assert.include(html, '受付済・未転送の意見等 <span class="my-work__count">1件</span>')
    assert.notInclude(html, '所属に転送された意見等（未対応）')
    assert.notInclude(html, '期限が近い・過ぎた監督上の義務')
    // The opinion panel's 新着 is the same count: read once for both.
    page.assertTextIncludes('新着（未転送）: <strong>1</strong>')
    const receivedCounts = queries.filter((sql) =>
      /^select count\(\*\) as [`"]?total[`"]? from [`"]?opinions[`"]? where [`"]?status[`"]? = (\?|\$\d+)$/.test(
        sql
      )
    )
    assert.lengthOf(receivedCounts, 1)
    // The rows show an opinion's number, subject, channel and due date: no submitter field is
    // read (and decrypted).
    assert.deepEqual(submitterReads(queries), [])
  })

  test('privacy officer: every contract oversight work, no opinion queue, only the approvals no department approver can take', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { result: html, queries: queries } = await withQueries(() =>
      pageText(client, '/dashboard', officer)
    )
    const duties = card(html, '期限が近い・過ぎた監督上の義務')
    assert.include(duties, 'コールセンター業務委託（広聴システム・広聴担当課）')
    assert.include(duties, 'メール配信業務委託（防災メールシステム・危機管理課）')
    assert.include(
      card(html, '確認を待つ受託事業者からの提出'),
      'コールセンター業務委託（広聴システム・広聴担当課）'
    )
    // The rows' departments are named from the organisation read once, not read per section.
    assert.deepEqual(
      queries.filter((sql) =>
        /^select \* from [`"]?departments[`"]? where [`"]?id[`"]? in/.test(sql)
      ),
      []
    )
    assert.include(duties, '3件', 'the duty due in 90 days and the satisfied one are not listed')
    assert.include(card(html, '確認を待つ受託事業者からの提出'), '5件')
    assert.include(card(html, '区の対応を待つ事故報告'), '漏えい')
    assert.notInclude(html, '所属に転送された意見等（未対応）')
    // 広聴担当課's only approver (its supervisor) drafted this reply: the privacy office may act.
    const replies = card(html, '承認を待つ回答')
    assert.include(replies, '1件')
    assert.include(rowOf(replies, '自分で依頼した回答の意見'), '個人情報保護担当として')
    assert.notInclude(html, '承認を待つFAQの変更')
    assert.notInclude(html, '承認を待つ諮問・報告事項')
  })

  test('contractor: its own duties on the portal and the start page, never another contractor’s', async ({
    client,
    assert,
  }) => {
    const { sankoUser, own } = await scene()
    for (const path of ['/portal', '/dashboard']) {
      const { result: html, queries: queries } = await withQueries(() =>
        pageText(client, path, sankoUser)
      )
      // わたしの仕事 names a contractor's contracts by title: it reads no system or department
      // (the portal's own list of contracts reads them once).
      const reads = (table: string) =>
        queries.filter((sql) => new RegExp(`^select \\* from [\`"]?${table}[\`"]? where`).test(sql))
      const expected = path === '/portal' ? 1 : 0
      assert.lengthOf(reads('personal_data_systems'), expected, path)
      assert.lengthOf(reads('departments'), expected, path)
      const duties = card(html, '期限が近い・過ぎた監督上の義務')
      assert.include(duties, '2件', path)
      assert.include(duties, '取扱者名簿')
      assert.include(duties, `/portal/contracts/${own.id}`)
      assert.include(duties, '期限超過')
      assert.notInclude(html, 'メール配信業務委託')
      assert.notInclude(html, '確認を待つ受託事業者からの提出')
      assert.notInclude(html, '所属に転送された意見等')
    }
  })

  test('a user with nothing waiting is told so', async ({ client }) => {
    await scene()
    const admin = await UserFactory.apply('admin').create()
    const page = await client.get('/dashboard').loginAs(admin)
    page.assertTextIncludes('いま対応を待っているものはありません。')
  })
})

test.group('わたしの仕事: a section of its own (すべて見る)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('lists every item of the section by due date, 50 per page', async ({ client, assert }) => {
    const { kochoStaff } = await scene()
    const page = await client.get('/my-work/forwarded_opinions').loginAs(kochoStaff)
    page.assertStatus(200)
    const html = page.text()
    for (let index = 1; index <= 7; index++) assert.include(html, `広聴課で待つ意見${index}`)
    assert.isBelow(html.indexOf('広聴課で待つ意見7'), html.indexOf('広聴課で待つ意見1'))
    assert.notInclude(html, '危機管理課で待つ意見')
    assert.include(html, '/opinions?handling=pending&amp;assignee=me')
  })

  test('a section that is not the user’s kind of work is refused; an unknown one is not found', async ({
    client,
    assert,
  }) => {
    const { sankoUser, kochoStaff, mailUser } = await scene()
    await assertStatusOf(client, '/my-work/forwarded_opinions', sankoUser, 403)
    await assertStatusOf(client, '/my-work/replies_to_approve', kochoStaff, 403)
    await assertStatusOf(client, '/my-work/everything', kochoStaff, 404)
    const own = await client.get('/my-work/duties').loginAs(mailUser)
    own.assertStatus(200)
    own.assertTextIncludes('メール配信業務委託')
    assert.notInclude(own.text(), 'コールセンター業務委託')
  })

  test('the start page reads each section with a fixed number of queries, whatever the rows', async ({
    client,
    assert,
  }) => {
    const { kochoSupervisor, kochoStaff, kochoStaff2, tree, own } = await scene()
    const queries = async () => {
      let count = 0
      const listener = () => count++
      const knex = db.connection().getWriteClient()
      knex.on('query', listener)
      try {
        await assertStatusOf(client, '/dashboard', kochoSupervisor, 200)
      } finally {
        knex.removeListener('query', listener)
      }
      return count
    }
    const before = await queries()
    assert.isAbove(before, 10, 'the queries are counted')
    // More rows in sections that showed fewer than five (replies, council items, duties), and
    // in a further department the supervisor approves for (広聴係).
    for (let index = 0; index < 3; index++) {
      const department = index === 0 ? tree.kochoKakari : tree.kocho
      const opinion = await makeOpinion(
        { subject: `追加の回答${index}`, status: 'awaiting_approval' },
        [department]
      )
      await OpinionReplyFactory.apply('awaitingApproval')
        .merge({
          opinionId: opinion.id,
          departmentId: department.id,
          draftedByUserId: kochoStaff.id,
        })
        .create()
      await CouncilItemFactory.merge({
        departmentId: department.id,
        subject: `追加の案${index}`,
        requestedAt: DateTime.now(),
        requestedByUserId: kochoStaff2.id,
      }).create()
      await OversightDutyFactory.merge({
        contractId: own.id,
        kind: 'periodic_report',
        periodKey: `2026-0${index + 5}`,
        dueOn: today().plus({ days: index }),
      }).create()
    }
    const html = await pageText(client, '/dashboard', kochoSupervisor)
    assert.include(card(html, '承認を待つ回答'), '追加の回答0')
    assert.include(card(html, '承認を待つ回答'), '4件')
    assert.include(card(html, '承認を待つ諮問・報告事項（作成中）'), '追加の案0')
    assert.include(card(html, '承認を待つ諮問・報告事項（作成中）'), '4件')
    assert.equal(await queries(), before)
  })
})

/** Reads of opinions that take (and decrypt) the submitter's fields. */
const submitterReads = (queries: string[]) =>
  queries.filter(
    (sql) => /\bfrom [`"]?opinions[`"]?[\s,]/.test(sql) && /^select \*|submitter/.test(sql)
  )

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/**
 * Approvals as Approvers decides them: 広聴担当課 names 承認 一郎 (a supervisor) as its approver and
 * 代理 二郎 (staff) as acting approver; its supervisor 課長 四郎 is not named; 起案 三郎 drafts and
 * asks. 危機管理課 names nobody and has no supervisor. One privacy officer.
 */
async function approvalScene() {
  const tree = await departmentTree()
  const person = (
    role: 'department_staff' | 'supervisor',
    department: Department,
    fullName: string
  ) => UserFactory.merge({ role, departmentId: department.id, fullName }).create()
  const approver = await person('supervisor', tree.kocho, '承認 一郎')
  const acting = await person('department_staff', tree.kocho, '代理 二郎')
  const drafter = await person('department_staff', tree.kocho, '起案 三郎')
  const unnamedSupervisor = await person('supervisor', tree.kocho, '課長 四郎')
  const kikiStaff = await person('department_staff', tree.kikikanri, '危機 五郎')
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({ fullName: '保護 六子' })
    .create()
  await DepartmentApprover.createMany([
    { departmentId: tree.kocho.id, userId: approver.id, capacity: 'approver' },
    { departmentId: tree.kocho.id, userId: acting.id, capacity: 'acting' },
  ])
  return { tree, approver, acting, drafter, unnamedSupervisor, kikiStaff, officer }
}

/** A reply drafted and put forward by `drafter` at `requestedAt`. */
async function replyWaiting(
  department: Department,
  drafter: User,
  subject: string,
  requestedAt: DateTime = DateTime.now()
) {
  const opinion = await makeOpinion({ subject, status: 'awaiting_approval' }, [department])
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

/** An FAQ change edited and put forward by `drafter` at `requestedAt`. */
async function faqChangeWaiting(
  department: Department,
  drafter: User,
  question: string,
  requestedAt: DateTime = DateTime.now()
) {
  const entry = await FaqEntryFactory.merge({
    departmentId: department.id,
    topicId: null,
    question,
    status: 'awaiting_approval',
    updatedByUserId: drafter.id,
  }).create()
  await FaqVersion.create({
    ...entry.content(),
    faqEntryId: entry.id,
    version: 1,
    state: 'awaiting_approval',
    requestedByUserId: drafter.id,
    requestedAt,
  })
  return entry
}

/** A council draft of `drafter`, put forward at `requestedAt` (null: not yet). */
async function councilItemOf(
  department: Department,
  drafter: User,
  subject: string,
  requestedAt: DateTime | null = DateTime.now()
) {
  return CouncilItemFactory.merge({
    departmentId: department.id,
    subject,
    createdByUserId: drafter.id,
    drafterUserIds: [drafter.id],
    requestedAt,
    requestedByUserId: requestedAt ? drafter.id : null,
  }).create()
}

/** The approval cards of a start page, as one text. */
function approvalCards(html: string) {
  return [
    card(html, '承認を待つ回答'),
    card(html, '承認を待つFAQの変更'),
    card(html, '承認を待つ諮問・報告事項（作成中）'),
  ].join('\n')
}

/** The table row (<tr>…</tr>) of the start page that holds `text`. */
function rowOf(html: string, text: string): string {
  const at = html.indexOf(text)
  if (at === -1) return ''
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at))
}

async function approveReply(client: ApiClient, user: User, opinionId: number, replyId: number) {
  const response = await client
    .post(`/opinions/${opinionId}/replies/${replyId}/approve`)
    .loginAs(user)
    .withCsrfToken()
    .redirects(0)
  return response.status()
}

test.group('わたしの仕事: approvals as the department’s approvers rule decides', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    mail.restore()
    app.container.restore(Clock)
  })

  test('the named approver sees the reply, the FAQ change and the council item put forward, not a draft nobody asked about', async ({
    client,
    assert,
  }) => {
    const { tree, approver, drafter } = await approvalScene()
    await replyWaiting(tree.kocho, drafter, '承認者が見る回答')
    await faqChangeWaiting(tree.kocho, drafter, '承認者が見るFAQ')
    await councilItemOf(tree.kocho, drafter, '承認者が見る諮問事項')
    await councilItemOf(tree.kocho, drafter, 'まだ依頼していない諮問事項', null)

    const html = await pageText(client, '/dashboard', approver)
    assert.include(card(html, '承認を待つ回答'), '承認者が見る回答')
    assert.include(card(html, '承認を待つFAQの変更'), '承認者が見るFAQ')
    assert.include(card(html, '承認を待つ諮問・報告事項（作成中）'), '承認者が見る諮問事項')
    assert.notInclude(html, 'まだ依頼していない諮問事項')
    // In their own right: no capacity mark.
    assert.notInclude(approvalCards(html), '代理として')
    assert.notInclude(approvalCards(html), '個人情報保護担当として')
  })

  test('the approver’s start page reads where the user approves, and the organisation, once', async ({
    client,
    assert,
  }) => {
    const { tree, approver, drafter } = await approvalScene()
    await replyWaiting(tree.kocho, drafter, '一度だけ読む回答')
    await faqChangeWaiting(tree.kocho, drafter, '一度だけ読むFAQ')

    const { result: html, queries: queries } = await withQueries(() =>
      pageText(client, '/dashboard', approver)
    )
    assert.include(card(html, '承認を待つ回答'), '一度だけ読む回答')
    assert.include(card(html, '承認を待つ回答'), '広聴担当課')
    assert.include(card(html, '承認を待つFAQの変更'), '一度だけ読むFAQ')
    assert.include(card(html, '承認を待つFAQの変更'), '広聴担当課')
    const reads = (pattern: RegExp) => queries.filter((sql) => pattern.test(sql)).length
    // The rows' departments come from that read: none is preloaded by id.
    assert.equal(reads(/^select \* from ["`]?departments["`]? where ["`]?id["`]? in/i), 0)
    // Approvers.departmentsOf: the user's own approver rows, then those of the departments below.
    assert.equal(reads(/from\s+["`]?department_approvers["`]?\s+where\s+["`]?user_id["`]?/i), 1)
    // DepartmentDirectory: every department, read once for the request's account.
    assert.equal(reads(/["`]?parent_id["`]?.*\bfrom\s+["`]?departments["`]?/i), 1)
    // What waits, read once for the three approval sections: each kind once.
    for (const table of ['opinion_replies', 'faq_versions', 'council_items']) {
      const waiting = new RegExp(
        `^select \\* from ["\`]?${table}["\`]? where ["\`]?(status|state)["\`]? =`,
        'i'
      )
      assert.equal(reads(waiting), 1, table)
    }

    // A section's own page: its policy (may the user see it?) and the page share that reading.
    const { result: section, queries: sectionQueries } = await withQueries(() =>
      pageText(client, '/my-work/faq_to_approve', approver)
    )
    assert.include(section, '一度だけ読むFAQ')
    const sectionReads = (pattern: RegExp) => sectionQueries.filter((sql) => pattern.test(sql))
    assert.lengthOf(
      sectionReads(/from\s+["`]?department_approvers["`]?\s+where\s+["`]?user_id["`]?/i),
      1
    )
    // The FAQ section reads what waits of its own kind only: no reply, no council item.
    assert.lengthOf(sectionReads(/from\s+["`]?(opinion_replies|council_items)["`]?/i), 0)
    const replies = await pageText(client, '/my-work/replies_to_approve', approver)
    assert.include(replies, '一度だけ読む回答')
  })

  test('a supervisor who is not named sees nothing while the named approver is there, and may not approve it', async ({
    client,
    assert,
  }) => {
    const { tree, unnamedSupervisor, acting, officer, drafter } = await approvalScene()
    mail.fake()
    const { opinion, reply } = await replyWaiting(tree.kocho, drafter, '指名された承認者の回答')
    await faqChangeWaiting(tree.kocho, drafter, '指名された承認者のFAQ')
    await councilItemOf(tree.kocho, drafter, '指名された承認者の諮問事項')
    for (const user of [unnamedSupervisor, acting, officer]) {
      const html = await pageText(client, '/dashboard', user)
      assert.notInclude(approvalCards(html), '指名された承認者の', user.fullName)
    }
    // His section page is open (広聴係 names nobody: he approves for it) but holds none of them.
    const section = await pageText(client, '/my-work/replies_to_approve', unnamedSupervisor)
    assert.notInclude(section, '指名された承認者の回答')
    assert.include(section, 'この種類の仕事はいまありません。')
    assert.equal(await approveReply(client, unnamedSupervisor, opinion.id, reply.id), 403)
  })

  test('the approver away: the acting approver sees it marked 代理として and may approve it', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter } = await approvalScene()
    mail.fake()
    const { opinion, reply } = await replyWaiting(tree.kocho, drafter, '不在中に待つ回答')
    await faqChangeWaiting(tree.kocho, drafter, '不在中に待つFAQ')
    assert.notInclude(approvalCards(await pageText(client, '/dashboard', acting)), '不在中に待つ')

    const day = DateTime.now().setZone('Asia/Tokyo').startOf('day')
    await UserAbsence.create({ userId: approver.id, startsOn: day, endsOn: day.plus({ days: 2 }) })
    const html = await pageText(client, '/dashboard', acting)
    assert.include(rowOf(card(html, '承認を待つ回答'), '不在中に待つ回答'), '代理として')
    assert.include(rowOf(card(html, '承認を待つFAQの変更'), '不在中に待つFAQ'), '代理として')
    // The approver away sees nothing to approve.
    assert.notInclude(approvalCards(await pageText(client, '/dashboard', approver)), '不在中に待つ')
    assert.equal(await approveReply(client, acting, opinion.id, reply.id), 302)
    const after = approvalCards(await pageText(client, '/dashboard', acting))
    assert.notInclude(after, '不在中に待つ回答')
    assert.include(after, '不在中に待つFAQ')
  })

  test('a department with no approver: the privacy officer sees its items marked 個人情報保護担当として and can open them', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, drafter, officer } = await approvalScene()
    const { opinion } = await replyWaiting(tree.kikikanri, kikiStaff, '承認者のいない課の回答')
    const entry = await faqChangeWaiting(tree.kikikanri, kikiStaff, '承認者のいない課のFAQ')
    await councilItemOf(tree.kikikanri, kikiStaff, '承認者のいない課の諮問事項')
    await replyWaiting(tree.kocho, drafter, '承認者のいる課の回答')

    const html = await pageText(client, '/dashboard', officer)
    for (const [heading, text] of [
      ['承認を待つ回答', '承認者のいない課の回答'],
      ['承認を待つFAQの変更', '承認者のいない課のFAQ'],
      ['承認を待つ諮問・報告事項（作成中）', '承認者のいない課の諮問事項'],
    ]) {
      assert.include(rowOf(card(html, heading), text), '個人情報保護担当として', text)
    }
    assert.notInclude(approvalCards(html), '承認者のいる課の回答')
    await assertStatusOf(client, `/opinions/${opinion.id}`, officer, 200)
    await assertStatusOf(client, `/faq-entries/${entry.id}`, officer, 200)
    // The department's own staff approve nothing.
    assert.notInclude(await pageText(client, '/dashboard', kikiStaff), '承認を待つ')
  })

  test('nobody sees their own draft: not the approver, not the acting approver, not the privacy officer', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, officer, kikiStaff } = await approvalScene()
    // The approver drafted it: the acting approver and the privacy office may act instead.
    await replyWaiting(tree.kocho, approver, '承認者が自分で書いた回答')
    const approverHtml = approvalCards(await pageText(client, '/dashboard', approver))
    assert.notInclude(approverHtml, '承認者が自分で書いた回答')
    const actingHtml = approvalCards(await pageText(client, '/dashboard', acting))
    assert.include(rowOf(actingHtml, '承認者が自分で書いた回答'), '代理として')

    // The approver away, the acting approver drafted it: only the privacy office.
    const day = DateTime.now().setZone('Asia/Tokyo').startOf('day')
    await UserAbsence.create({ userId: approver.id, startsOn: day, endsOn: day })
    await faqChangeWaiting(tree.kocho, acting, '代理承認者が自分で書いたFAQ')
    assert.notInclude(
      approvalCards(await pageText(client, '/dashboard', acting)),
      '代理承認者が自分で書いたFAQ'
    )
    const officerHtml = approvalCards(await pageText(client, '/dashboard', officer))
    assert.include(rowOf(officerHtml, '代理承認者が自分で書いたFAQ'), '個人情報保護担当として')

    // The privacy officer's own council item of a department without approvers: nobody else can.
    await councilItemOf(tree.kikikanri, officer, '保護担当が自分で書いた諮問事項')
    assert.notInclude(
      await pageText(client, '/dashboard', officer),
      '保護担当が自分で書いた諮問事項'
    )
    assert.notInclude(
      await pageText(client, '/dashboard', kikiStaff),
      '保護担当が自分で書いた諮問事項'
    )
  })

  test('a request waiting 3 open days is marked, and the acting approver sees it from then on', async ({
    client,
    assert,
  }) => {
    const { tree, approver, acting, drafter } = await approvalScene()
    // Friday 2026-10-30: the open days after it are 11/2, 11/4 (11/3 文化の日) and 11/5.
    const friday = tokyo('2026-10-30T16:00')
    await replyWaiting(tree.kocho, drafter, '金曜に依頼した回答', friday)
    await faqChangeWaiting(tree.kocho, drafter, '金曜に依頼したFAQ', friday)
    await councilItemOf(tree.kocho, drafter, '金曜に依頼した諮問事項', friday)
    await replyWaiting(tree.kocho, drafter, '水曜に依頼した回答', tokyo('2026-11-04T10:00'))
    const at = (iso: string) => app.container.swap(Clock, () => new FixedClock(tokyo(iso)))

    at('2026-11-04T09:00')
    const before = approvalCards(await pageText(client, '/dashboard', approver))
    assert.include(before, '金曜に依頼した回答')
    assert.notInclude(before, '承認依頼から3開庁日経過')
    assert.notInclude(approvalCards(await pageText(client, '/dashboard', acting)), '金曜に依頼した')

    at('2026-11-05T09:00')
    const html = approvalCards(await pageText(client, '/dashboard', approver))
    for (const text of ['金曜に依頼した回答', '金曜に依頼したFAQ', '金曜に依頼した諮問事項']) {
      const row = rowOf(html, text)
      assert.include(row, '承認依頼から3開庁日経過', text)
      assert.include(row, 'row--overdue', text)
    }
    assert.notInclude(rowOf(html, '水曜に依頼した回答'), '承認依頼から3開庁日経過')
    const actingHtml = approvalCards(await pageText(client, '/dashboard', acting))
    const row = rowOf(actingHtml, '金曜に依頼した回答')
    assert.include(row, '代理として')
    assert.include(row, '承認依頼から3開庁日経過')
    assert.notInclude(actingHtml, '水曜に依頼した回答')
  })

  test('the list holds exactly what Approvers.capacity allows, user by user, day by day', async ({
    assert,
  }) => {
    const { tree, approver, acting, drafter, unnamedSupervisor, kikiStaff, officer } =
      await approvalScene()
    const friday = tokyo('2026-10-30T16:00')
    await replyWaiting(tree.kocho, drafter, '照合1', friday)
    await replyWaiting(tree.kocho, approver, '照合2', tokyo('2026-11-04T10:00'))
    await faqChangeWaiting(tree.kocho, drafter, '照合3', tokyo('2026-11-04T10:00'))
    await councilItemOf(tree.kocho, acting, '照合4', friday)
    await councilItemOf(tree.kocho, drafter, '照合5', null)
    await replyWaiting(tree.kochoKakari, drafter, '照合6', tokyo('2026-11-04T10:00'))
    await faqChangeWaiting(tree.kikikanri, kikiStaff, '照合7', tokyo('2026-11-04T10:00'))
    await councilItemOf(tree.kikikanri, officer, '照合8', friday)
    // The approver is away on Friday 6 November.
    await UserAbsence.create({
      userId: approver.id,
      startsOn: tokyo('2026-11-06T00:00'),
      endsOn: tokyo('2026-11-06T00:00'),
    })

    const requests = await Approvers.waiting()
    const seen = new Set<string>()
    for (const moment of ['2026-11-04T12:00', '2026-11-05T12:00', '2026-11-06T12:00']) {
      const now = tokyo(moment)
      for (const user of [approver, acting, drafter, unnamedSupervisor, kikiStaff, officer]) {
        const pending = await Approvers.pendingFor(user, now)
        const listed = pending.map((one) => `${one.request.kind}:${one.request.id}:${one.capacity}`)
        const allowed: string[] = []
        for (const request of requests) {
          const capacity = await Approvers.capacity(user, request, now)
          if (capacity) allowed.push(`${request.kind}:${request.id}:${capacity}`)
        }
        assert.deepEqual(listed, allowed, `${user.fullName} on ${moment}`)
        for (const entry of listed) seen.add(entry.split(':')[2])
      }
    }
    assert.sameMembers([...seen], ['approver', 'acting', 'privacy_officer'])
  })

  test('a long approval list: five on the start page, 50 a page on its own page', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, officer } = await approvalScene()
    for (let index = 1; index <= 52; index++) {
      await faqChangeWaiting(
        tree.kikikanri,
        kikiStaff,
        `順番待ちのFAQ${String(index).padStart(2, '0')}`,
        DateTime.now().minus({ minutes: 100 - index })
      )
    }
    const rowsIn = (html: string) => html.split('順番待ちのFAQ').length - 1
    const start = card(await pageText(client, '/dashboard', officer), '承認を待つFAQの変更')
    assert.include(start, '52件')
    assert.include(start, 'すべて見る（52件）')
    assert.equal(rowsIn(start), 5)
    assert.include(start, '順番待ちのFAQ01', 'the oldest request first')

    const { result: first, queries: queries } = await withQueries(() =>
      pageText(client, '/my-work/faq_to_approve', officer)
    )
    assert.equal(rowsIn(first), 50)
    assert.include(first, '危機管理課')
    // The entries are read once: the rows take their department from the request that waits.
    const reads = (pattern: RegExp) => queries.filter((sql) => pattern.test(sql)).length
    assert.equal(reads(/^select \* from ["`]?faq_entries["`]?/i), 1)
    assert.include(first, '/my-work/faq_to_approve?page=2')
    const second = await pageText(client, '/my-work/faq_to_approve?page=2', officer)
    assert.equal(rowsIn(second), 2)
    assert.include(second, '順番待ちのFAQ52')
  })
})
