import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import { DateTime } from 'luxon'
import OversightDuty from '#models/oversight_duty'
import PeriodicReport from '#models/periodic_report'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { PersonalDataSystemFactory } from '#database/factories/personal_data_system_factory'
import { ContractFactory } from '#database/factories/contract_factory'
import { OversightDutyFactory } from '#database/factories/oversight_duty_factory'
import { HandlerRosterFactory } from '#database/factories/handler_roster_factory'
import { DeletionCertificateFactory } from '#database/factories/deletion_certificate_factory'
import { PeriodicReportFactory } from '#database/factories/periodic_report_factory'
import { departmentTree } from '#tests/helpers'

const today = () => DateTime.now().startOf('day')

const DUTIES = '期限が近い・過ぎた監督上の義務'
const TO_CHECK = '確認を待つ受託事業者からの提出'
const RETURNED_REASON = '配信数が契約書の定義と異なります。'

/**
 * 三幸's contract on a system of 広聴担当課 and 安心メール配信's on one of
 * 危機管理課. 三幸 owes staff training (overdue) and the report of 2026-09,
 * sent back with a reason (due in 40 days); its roster (10 days ago), the
 * report of 2026-10 (3 days ago) and its deletion certificate (today) wait
 * for the ward's check. 安心メール配信's report of 2026-10 waits for its
 * ward, and its report of 2026-09 was sent back too.
 */
async function scene() {
  const tree = await departmentTree()
  const kochoStaff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const kochoSupervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const operator = await UserFactory.apply('operator').create()

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
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mailCo.id }).create()

  const roster = await HandlerRosterFactory.merge({
    contractId: own.id,
    version: 1,
    submittedOn: today().minus({ days: 10 }),
  }).create()
  const sentBack = await PeriodicReportFactory.merge({
    contractId: own.id,
    period: '2026-09',
    status: 'rejected',
    reviewedOn: today().minus({ days: 1 }),
    rejectionReason: RETURNED_REASON,
  }).create()
  const report = await PeriodicReportFactory.merge({
    contractId: own.id,
    period: '2026-10',
    submittedOn: today().minus({ days: 3 }),
  }).create()
  const certificate = await DeletionCertificateFactory.merge({
    contractId: own.id,
    method: 'media_return',
  }).create()
  const othersReport = await PeriodicReportFactory.merge({
    contractId: others.id,
    period: '2026-10',
    submittedOn: today().minus({ days: 5 }),
  }).create()
  const othersSentBack = await PeriodicReportFactory.merge({
    contractId: others.id,
    period: '2026-09',
    status: 'rejected',
    rejectionReason: '他社への差戻し理由',
  }).create()

  const submitted = (
    contractId: number,
    evidence: { type: string; id: number; on: DateTime },
    duty: { kind: 'roster' | 'periodic_report' | 'return_erasure'; periodKey: string }
  ) => ({
    contractId,
    ...duty,
    dueOn: today().plus({ days: 2 }),
    state: 'submitted' as const,
    submittedOn: evidence.on,
    evidenceType: evidence.type,
    evidenceId: evidence.id,
  })
  const returned = (contractId: number, reportId: number, reason: string) => ({
    contractId,
    kind: 'periodic_report' as const,
    periodKey: '2026-09',
    dueOn: today().plus({ days: 40 }),
    state: 'returned' as const,
    returnedReason: reason,
    evidenceType: 'periodic_report',
    evidenceId: reportId,
  })
  await OversightDutyFactory.merge([
    { contractId: own.id, kind: 'training', periodKey: '2026', dueOn: today().minus({ days: 1 }) },
    returned(own.id, sentBack.id, RETURNED_REASON),
    submitted(
      own.id,
      { type: 'handler_roster', id: roster.id, on: roster.submittedOn },
      { kind: 'roster', periodKey: 'initial' }
    ),
    submitted(
      own.id,
      { type: 'periodic_report', id: report.id, on: report.submittedOn },
      { kind: 'periodic_report', periodKey: '2026-10' }
    ),
    submitted(
      own.id,
      { type: 'deletion_certificate', id: certificate.id, on: today() },
      { kind: 'return_erasure', periodKey: 'end' }
    ),
    returned(others.id, othersSentBack.id, '他社への差戻し理由'),
    submitted(
      others.id,
      { type: 'periodic_report', id: othersReport.id, on: othersReport.submittedOn },
      { kind: 'periodic_report', periodKey: '2026-10' }
    ),
  ]).createMany(7)

  return {
    tree,
    kochoStaff,
    kochoSupervisor,
    kikiStaff,
    officer,
    operator,
    own,
    others,
    sankoUser,
    mailUser,
    roster,
    sentBack,
    report,
    certificate,
    othersReport,
  }
}

/** The HTML of a page as the user sees it. */
async function pageText(client: ApiClient, path: string, user: User) {
  const response = await client.get(path).loginAs(user)
  response.assertStatus(200)
  return response.text()
}

/** The text of one わたしの仕事 card (between its heading and the next card). */
function card(html: string, heading: string): string {
  const start = html.indexOf(`>${heading} <span class="my-work__count">`)
  if (start === -1) return ''
  const end = html.indexOf('</section>', start)
  return html.slice(start, end)
}

/** The table row (<tr>…</tr>) of `html` that holds `text`. */
function rowOf(html: string, text: string): string {
  const at = html.indexOf(text)
  if (at === -1) return ''
  return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at))
}

test.group('わたしの仕事: oversight duties follow the ward’s check', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => mail.restore())

  test('a contractor owes what was sent back (差戻し, with the reason), not what waits for the ward', async ({
    client,
    assert,
  }) => {
    const { sankoUser, own, sentBack } = await scene()
    for (const path of ['/dashboard', '/portal']) {
      const html = await pageText(client, path, sankoUser)
      const duties = card(html, DUTIES)
      assert.include(duties, '2件', path)
      // Sent back 40 days before its due date: owed now, with the ward's reason and the report sent back.
      const returned = rowOf(duties, '2026年9月分の定期報告')
      assert.include(returned, `差戻し：${RETURNED_REASON}`)
      assert.include(returned, `/periodic-reports/${sentBack.id}`)
      assert.include(rowOf(duties, '令和8年度の従業員教育の実施記録'), '期限超過')
      assert.include(
        rowOf(duties, '令和8年度の従業員教育の実施記録'),
        `/portal/contracts/${own.id}`
      )
      // What was filed and waits for the ward is counted apart, not owed.
      assert.notInclude(duties, '2026年10月分の定期報告')
      assert.notInclude(duties, '取扱者名簿')
      assert.notInclude(duties, '消去証明書')
      assert.include(duties, '提出済・区の確認待ち: 3件')
      // Never another contractor's, and no check list of the ward.
      assert.notInclude(html, 'メール配信業務委託')
      assert.notInclude(html, '他社への差戻し理由')
      assert.notInclude(html, TO_CHECK)
    }
    const checks = await client.get('/my-work/submissions_to_check').loginAs(sankoUser)
    checks.assertStatus(403)
  })

  test('the other contractor sees only its own duty sent back and its own submission waiting', async ({
    client,
    assert,
  }) => {
    const { mailUser } = await scene()
    const html = await pageText(client, '/my-work/duties', mailUser)
    assert.include(html, '差戻し：他社への差戻し理由')
    assert.include(html, '提出済・区の確認待ち: 1件')
    assert.notInclude(html, RETURNED_REASON)
    assert.notInclude(html, 'コールセンター業務委託')
  })

  test('department staff: the submissions of their department to check, oldest first, linked to their review pages', async ({
    client,
    assert,
  }) => {
    const { kochoStaff, kochoSupervisor, roster, report, certificate, othersReport } = await scene()
    for (const user of [kochoStaff, kochoSupervisor]) {
      const html = await pageText(client, '/dashboard', user)
      const toCheck = card(html, TO_CHECK)
      assert.include(toCheck, '3件')
      const order = [
        `/rosters/${roster.id}`,
        `/periodic-reports/${report.id}`,
        `/certificates/${certificate.id}`,
      ].map((link) => toCheck.indexOf(`href="${link}"`))
      assert.notInclude(order, -1)
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        'oldest submission first'
      )
      assert.include(
        rowOf(toCheck, '取扱者名簿 第1版'),
        'コールセンター業務委託（広聴システム・広聴担当課）'
      )
      assert.include(rowOf(toCheck, '取扱者名簿 第1版'), '提出済・確認待ち')
      assert.include(toCheck, '定期報告 2026-10')
      assert.include(toCheck, '消去証明書（媒体の返却）')
      // Another department's submission never shows.
      assert.notInclude(html, `/periodic-reports/${othersReport.id}`)
      assert.notInclude(html, 'メール配信業務委託')
      // Waiting for the ward is not owed by the contractor; what was sent back is.
      const duties = card(html, DUTIES)
      assert.notInclude(duties, '2026年10月分の定期報告')
      assert.include(duties, `差戻し：${RETURNED_REASON}`)
      // The 14-day list of reports received is gone (the check list replaces it).
      assert.notInclude(html, '新しく届いた定期報告')
    }
  })

  test('staff of the other department see theirs only, and may not confirm 広聴担当課’s', async ({
    client,
    assert,
  }) => {
    const { kikiStaff, report, othersReport } = await scene()
    const html = await pageText(client, '/dashboard', kikiStaff)
    const toCheck = card(html, TO_CHECK)
    assert.include(toCheck, '1件')
    assert.include(toCheck, `/periodic-reports/${othersReport.id}`)
    assert.notInclude(html, 'コールセンター業務委託')
    const verify = await client
      .post(`/periodic-reports/${report.id}/verify`)
      .loginAs(kikiStaff)
      .withCsrfToken()
    verify.assertStatus(403)
    await report.refresh()
    assert.equal(report.status, 'submitted')
  })

  test('once confirmed (or acknowledged) a submission leaves the list; when none is left the section goes', async ({
    client,
    assert,
  }) => {
    const { kochoStaff, roster, report, certificate, own } = await scene()
    await client.post(`/periodic-reports/${report.id}/verify`).loginAs(kochoStaff).withCsrfToken()
    let toCheck = card(await pageText(client, '/dashboard', kochoStaff), TO_CHECK)
    assert.include(toCheck, '2件')
    assert.notInclude(toCheck, `/periodic-reports/${report.id}`)
    const duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('periodKey', '2026-10')
      .firstOrFail()
    assert.equal(duty.state, 'satisfied')

    await client.post(`/rosters/${roster.id}/acknowledge`).loginAs(kochoStaff).withCsrfToken()
    toCheck = card(await pageText(client, '/dashboard', kochoStaff), TO_CHECK)
    assert.include(toCheck, '1件')
    assert.notInclude(toCheck, `/rosters/${roster.id}`)

    await client.post(`/certificates/${certificate.id}/verify`).loginAs(kochoStaff).withCsrfToken()
    const html = await pageText(client, '/dashboard', kochoStaff)
    assert.notInclude(html, TO_CHECK)
  })

  test('a report filed by the contractor waits in the ward’s list; sent back, the contractor owes it again with the reason', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, kochoStaff } = await scene()
    // The department and the privacy office are mailed (queued): not sent from the tests.
    mail.fake()
    await OversightDutyFactory.merge({
      contractId: own.id,
      kind: 'periodic_report',
      periodKey: '2026-11',
      dueOn: today().plus({ days: 5 }),
    }).create()
    let duties = card(await pageText(client, '/dashboard', sankoUser), DUTIES)
    assert.include(duties, '2026年11月分の定期報告')

    const filed = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-11', subscribers: '120', deliveries: '480' })
      .redirects(0)
    filed.assertStatus(302)
    const filedReport = await PeriodicReport.query()
      .where('contractId', own.id)
      .where('period', '2026-11')
      .firstOrFail()
    duties = card(await pageText(client, '/dashboard', sankoUser), DUTIES)
    assert.notInclude(duties, '2026年11月分の定期報告')
    assert.include(duties, '提出済・区の確認待ち: 4件')
    const toCheck = card(await pageText(client, '/dashboard', kochoStaff), TO_CHECK)
    assert.include(toCheck, '4件')
    assert.include(rowOf(toCheck, '定期報告 2026-11'), `/periodic-reports/${filedReport.id}`)

    await client
      .post(`/periodic-reports/${filedReport.id}/reject`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .form({ rejectionReason: '配信数の内訳を添付してください。' })
    assert.notInclude(
      card(await pageText(client, '/dashboard', kochoStaff), TO_CHECK),
      '定期報告 2026-11'
    )
    duties = card(await pageText(client, '/dashboard', sankoUser), DUTIES)
    const row = rowOf(duties, '2026年11月分の定期報告')
    assert.include(row, '差戻し：配信数の内訳を添付してください。')
    assert.include(row, `/periodic-reports/${filedReport.id}`)
    assert.include(duties, '提出済・区の確認待ち: 3件')
  })

  test('a long reason is cut in the list; the contract page keeps it whole', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser } = await scene()
    const reason = '記載内容に誤りがあります。'.repeat(10)
    await OversightDuty.query()
      .where('contractId', own.id)
      .where('state', 'returned')
      .update({ returnedReason: reason })
    const duties = card(await pageText(client, '/dashboard', sankoUser), DUTIES)
    assert.include(duties, `差戻し：${reason.slice(0, 80)}…`)
    assert.notInclude(duties, reason)
    const portal = await pageText(client, `/portal/contracts/${own.id}`, sankoUser)
    assert.include(portal, reason)
  })

  test('the privacy officer sees every department’s submissions to check', async ({
    client,
    assert,
  }) => {
    const { officer, report, othersReport, roster, certificate } = await scene()
    const html = await pageText(client, '/dashboard', officer)
    const toCheck = card(html, TO_CHECK)
    assert.include(toCheck, '4件')
    for (const link of [
      `/rosters/${roster.id}`,
      `/periodic-reports/${report.id}`,
      `/periodic-reports/${othersReport.id}`,
      `/certificates/${certificate.id}`,
    ]) {
      assert.include(toCheck, link)
    }
    assert.include(toCheck, 'コールセンター業務委託')
    assert.include(toCheck, 'メール配信業務委託')
    const all = await pageText(client, '/my-work/submissions_to_check', officer)
    assert.isBelow(
      all.indexOf(`/rosters/${roster.id}`),
      all.indexOf(`/periodic-reports/${othersReport.id}`)
    )
    assert.isBelow(
      all.indexOf(`/periodic-reports/${othersReport.id}`),
      all.indexOf(`/periodic-reports/${report.id}`)
    )
  })

  test('an operator has no check list (403 on its page)', async ({ client, assert }) => {
    const { operator } = await scene()
    const html = await pageText(client, '/dashboard', operator)
    assert.notInclude(html, TO_CHECK)
    const page = await client.get('/my-work/submissions_to_check').loginAs(operator)
    page.assertStatus(403)
  })
})
