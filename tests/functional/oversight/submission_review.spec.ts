import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import AuditLog from '#models/audit_log'
import DeletionCertificate from '#models/deletion_certificate'
import OversightDuty from '#models/oversight_duty'
import PeriodicReport from '#models/periodic_report'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import ComplianceMatrix from '#services/oversight/compliance_matrix'
import WardCalendar from '#services/ward_calendar'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

const certificateFacts = {
  method: 'logical_erasure',
  media: 'サーバ内ハードディスク',
  erasedOn: '2026-11-05',
}

/**
 * A contract of 三幸 (広聴担当課's system) that ended on 2026-10-31 and asks
 * for monthly reports; a contract of another contractor; 三幸's and the
 * other contractor's users; staff and a supervisor of 広聴担当課, staff of
 * 危機管理課 and a privacy officer.
 */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const otherStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const [sanko, mail] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '安心メール配信株式会社' },
  ]).createMany(2)
  const terms = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-16',
    SPECIAL_TERMS_16
  )
  const system = await makeSystem(officer, tree.kocho.id)
  const period = {
    specialTermSetId: terms.id,
    startsOn: new Date('2026-04-01'),
    endsOn: new Date('2026-10-31'),
    reportFrequency: 'monthly' as const,
  }
  const own = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'メール配信サービス業務委託',
    contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    ...period,
  })
  const others = await makeContract(officer, system, {
    contractorId: mail.id,
    title: '他社の委託',
    ...period,
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mail.id }).create()
  return { officer, staff, supervisor, otherStaff, own, others, sankoUser, mailUser }
}

const dutyOf = (contractId: number, kind: string, periodKey: string) =>
  OversightDuty.query()
    .where('contractId', contractId)
    .where('kind', kind)
    .where('periodKey', periodKey)
    .firstOrFail()

async function dutyActions(dutyId: number) {
  const entries = await AuditLog.query()
    .where('subjectType', 'OversightDuty')
    .where('subjectId', String(dutyId))
    .orderBy('id')
  return entries.map((entry) => entry.action)
}

test.group('Submissions are checked: deletion certificates', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('a certificate puts the duty in 提出済・確認待ち; sent back with a reason it is owed again, resubmitted and confirmed it is done', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, staff } = await scene()
    const upload = () =>
      client
        .post(`/contracts/${own.id}/certificates`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .file('certificate', PDF, { filename: '消去証明書.pdf' })
        .fields(certificateFacts)
        .redirects(0)
    const uploaded = await upload()
    uploaded.assertStatus(302)
    const first = await DeletionCertificate.findByOrFail('contractId', own.id)
    let duty = await dutyOf(own.id, 'return_erasure', 'end')
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.statusOn(), 'submitted')
    assert.equal(duty.evidenceId, first.id)
    assert.isNotNull(duty.submittedOn)

    // Both sides see 提出済・確認待ち on the duty, with a link to the submission.
    const portal = await client.get(`/portal/contracts/${own.id}`).loginAs(sankoUser)
    portal.assertTextIncludes('提出済・確認待ち')
    portal.assertTextIncludes(`/certificates/${first.id}`)
    const contractPage = await client.get(`/contracts/${own.id}`).loginAs(staff)
    contractPage.assertTextIncludes('提出済・確認待ち')

    // A second certificate while the first awaits the check is refused in Japanese.
    const again = await upload()
    again.assertFlashMessage('errors', {
      certificate: [
        '確認待ちの消去証明書があります。区の確認（確認済みまたは差戻し）が済んでから提出してください。',
      ],
    })
    assert.lengthOf(await DeletionCertificate.query().where('contractId', own.id), 1)

    // Sent back without a reason: refused in Japanese, nothing changes.
    const noReason = await client
      .post(`/certificates/${first.id}/reject`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ rejectionReason: '  ' })
      .redirects(0)
    noReason.assertStatus(302)
    assert.match(JSON.stringify(noReason.flashMessages()), /差戻しの理由.*入力してください/)
    await duty.refresh()
    assert.equal(duty.state, 'submitted')

    await client
      .post(`/certificates/${first.id}/reject`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ rejectionReason: '押印がありません。' })
    await duty.refresh()
    assert.equal(duty.state, 'returned')
    assert.equal(duty.returnedReason, '押印がありません。')
    assert.equal(duty.statusOn(), 'returned')

    // The contractor sees the reason on the duty and the certificate, and can submit again.
    const returned = await client.get(`/portal/contracts/${own.id}`).loginAs(sankoUser)
    returned.assertTextIncludes('差戻し')
    returned.assertTextIncludes('差戻しの理由：押印がありません。')
    const list = await client.get('/portal').loginAs(sankoUser)
    list.assertTextIncludes('差戻し1件')
    const certificatePage = await client.get(`/certificates/${first.id}`).loginAs(sankoUser)
    certificatePage.assertTextIncludes('押印がありません。')
    certificatePage.assertTextIncludes('修正した消去証明書を提出する')
    const resubmitted = await upload()
    resubmitted.assertStatus(302)
    const second = await DeletionCertificate.query()
      .where('contractId', own.id)
      .orderBy('id', 'desc')
      .firstOrFail()
    duty = await dutyOf(own.id, 'return_erasure', 'end')
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.evidenceId, second.id)
    assert.isNull(duty.returnedReason)

    await client.post(`/certificates/${second.id}/verify`).loginAs(staff).withCsrfToken()
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceId, second.id)
    const done = await client.get(`/portal/contracts/${own.id}`).loginAs(sankoUser)
    done.assertTextIncludes('実施済み')

    // The history stays: both certificates, and every step of the duty in the audit log.
    await first.refresh()
    assert.equal(first.status, 'rejected')
    assert.deepEqual(await dutyActions(duty.id), [
      'duty.submit',
      'duty.return',
      'duty.submit',
      'duty.satisfy',
    ])
  })

  test('the contractor of another contract, staff of another department and the contractor itself cannot check', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, mailUser, otherStaff, supervisor } = await scene()
    await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: 'c.pdf' })
      .fields(certificateFacts)
    const certificate = await DeletionCertificate.findByOrFail('contractId', own.id)

    // Another contractor can neither submit for the contract nor see its certificate.
    const foreignUpload = await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(mailUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: 'c.pdf' })
      .fields(certificateFacts)
    foreignUpload.assertStatus(403)
    const foreignPage = await client.get(`/certificates/${certificate.id}`).loginAs(mailUser)
    foreignPage.assertStatus(403)

    for (const user of [otherStaff, sankoUser, mailUser]) {
      const verify = await client
        .post(`/certificates/${certificate.id}/verify`)
        .loginAs(user)
        .withCsrfToken()
      verify.assertStatus(403)
      const reject = await client
        .post(`/certificates/${certificate.id}/reject`)
        .loginAs(user)
        .withCsrfToken()
        .form({ rejectionReason: '理由' })
      reject.assertStatus(403)
    }
    const duty = await dutyOf(own.id, 'return_erasure', 'end')
    assert.equal(duty.state, 'submitted')

    // The department's supervisor may.
    await client.post(`/certificates/${certificate.id}/verify`).loginAs(supervisor).withCsrfToken()
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
  })
})

test.group('Submissions are checked: periodic reports', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('a report waits for the check; sent back, a new report for the period is taken; confirmed, the duty is done', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, staff, officer } = await scene()
    const file = (subscribers: string) =>
      client
        .post(`/contracts/${own.id}/periodic-reports`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form({ period: '2026-09', subscribers, deliveries: '500' })
        .redirects(0)
    const filed = await file('120')
    filed.assertStatus(302)
    const first = await PeriodicReport.findByOrFail('contractId', own.id)
    assert.equal(first.status, 'submitted')
    const duty = await dutyOf(own.id, 'periodic_report', '2026-09')
    assert.equal(duty.state, 'submitted')

    const page = await client.get(`/periodic-reports/${first.id}`).loginAs(staff)
    page.assertTextIncludes('確認待ち')
    page.assertTextIncludes('確認済みにする')
    page.assertTextIncludes('差し戻す')
    const contractorPage = await client.get(`/periodic-reports/${first.id}`).loginAs(sankoUser)
    assert.notInclude(contractorPage.text(), '確認済みにする')

    // Without a reason: a Japanese message, nothing changes.
    const noReason = await client
      .post(`/periodic-reports/${first.id}/reject`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ rejectionReason: '' })
      .redirects(0)
    noReason.assertStatus(302)
    assert.match(JSON.stringify(noReason.flashMessages()), /差戻しの理由.*入力してください/)
    await first.refresh()
    assert.equal(first.status, 'submitted')

    await client
      .post(`/periodic-reports/${first.id}/reject`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ rejectionReason: '配信数が契約書の定義と異なります。' })
    await first.refresh()
    assert.equal(first.status, 'rejected')
    assert.equal(first.reviewedByUserId, staff.id)
    await duty.refresh()
    assert.equal(duty.state, 'returned')
    const seen = await client.get(`/periodic-reports/${first.id}`).loginAs(sankoUser)
    seen.assertTextIncludes('配信数が契約書の定義と異なります。')
    seen.assertTextIncludes('修正した定期報告を提出する')
    seen.assertTextIncludes(`/contracts/${own.id}/periodic-reports/create?period=2026-09`)
    const form = await client.get(`/contracts/${own.id}/periodic-reports/create`).loginAs(sankoUser)
    form.assertTextIncludes('value="2026-04"')

    // A new report for the same period is taken; the one sent back stays as history.
    const refiled = await file('118')
    refiled.assertStatus(302)
    const reports = await PeriodicReport.query()
      .where('contractId', own.id)
      .where('period', '2026-09')
      .orderBy('id')
    assert.deepEqual(
      reports.map((report) => [report.subscribers, report.status]),
      [
        [120, 'rejected'],
        [118, 'submitted'],
      ]
    )
    await duty.refresh()
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.evidenceId, reports[1].id)
    // … but not a third one while that one awaits the check.
    const third = await file('117')
    third.assertFlashMessage('errors', { period: ['この期間の定期報告は既に提出されています。'] })

    const list = await client.get(`/contracts/${own.id}/periodic-reports`).loginAs(sankoUser)
    list.assertTextIncludes('差戻し')
    list.assertTextIncludes('確認待ち')

    await client.post(`/periodic-reports/${reports[1].id}/verify`).loginAs(officer).withCsrfToken()
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceId, reports[1].id)
    // Checked once: a second check changes nothing.
    const twice = await client
      .post(`/periodic-reports/${reports[1].id}/reject`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ rejectionReason: '再確認' })
      .redirects(0)
    twice.assertFlashMessage('success', 'この定期報告は既に確認されています。')
    await reports[1].refresh()
    assert.equal(reports[1].status, 'verified')
    assert.deepEqual(await dutyActions(duty.id), [
      'duty.submit',
      'duty.return',
      'duty.submit',
      'duty.satisfy',
    ])
  })

  test('another contractor cannot submit or see; staff of another department cannot confirm or send back (403)', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, mailUser, otherStaff } = await scene()
    await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-08', subscribers: '10' })
    const report = await PeriodicReport.findByOrFail('contractId', own.id)

    const foreignSubmit = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(mailUser)
      .withCsrfToken()
      .form({ period: '2026-07', subscribers: '10' })
    foreignSubmit.assertStatus(403)
    const foreignForm = await client
      .get(`/contracts/${own.id}/periodic-reports/create`)
      .loginAs(mailUser)
    foreignForm.assertStatus(403)
    for (const path of [
      `/periodic-reports/${report.id}`,
      `/contracts/${own.id}/periodic-reports`,
    ]) {
      const foreignRead = await client.get(path).loginAs(mailUser)
      assert.equal(foreignRead.status(), 403, path)
    }
    for (const user of [otherStaff, sankoUser, mailUser]) {
      const verify = await client
        .post(`/periodic-reports/${report.id}/verify`)
        .loginAs(user)
        .withCsrfToken()
      verify.assertStatus(403)
      const reject = await client
        .post(`/periodic-reports/${report.id}/reject`)
        .loginAs(user)
        .withCsrfToken()
        .form({ rejectionReason: '理由' })
      reject.assertStatus(403)
    }
    await report.refresh()
    assert.equal(report.status, 'submitted')
    assert.lengthOf(await PeriodicReport.query().where('period', '2026-07'), 0)
  })
})

test.group('Submissions are checked: dashboards and rosters', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('the compliance matrix and its CSV count 確認待ち as not done; a duty awaiting the check cannot be waived', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, officer, supervisor } = await scene()
    await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: 'c.pdf' })
      .fields(certificateFacts)
    await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-09', subscribers: '10' })

    const fiscalYear = 2026
    const rows = await ComplianceMatrix.build(fiscalYear, null)
    const row = rows.find((entry) => entry.contract.id === own.id)!
    assert.equal(row.cells.return_erasure.status, 'submitted')
    assert.equal(row.cells.periodic_report.submitted, 1)
    assert.notEqual(row.cells.periodic_report.status, 'satisfied')
    const csvText = ComplianceMatrix.csvRows(rows).find(
      (entry) => entry.contract === 'メール配信サービス業務委託'
    )!
    assert.match(String(csvText.return_erasure), /^提出済・確認待ち/)
    assert.include(String(csvText.periodic_report), '確認待ち1/')

    const dashboard = await client.get('/oversight').qs({ fiscalYear }).loginAs(officer)
    dashboard.assertTextIncludes('cell--submitted')
    dashboard.assertTextIncludes('提出済・確認待ち')

    // Waiving needs the submission checked first.
    const duty = await dutyOf(own.id, 'return_erasure', 'end')
    const waive = await client
      .post(`/duties/${duty.id}/waive`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ reason: '不要' })
      .redirects(0)
    waive.assertFlashMessage('errors', {
      form: [
        'この義務は提出物の確認待ちです。免除する前に、提出物を確認済みにするか差し戻してください。',
      ],
    })
    await duty.refresh()
    assert.equal(duty.state, 'submitted')
    assert.equal(WardCalendar.fiscalYear(duty.dueOn), fiscalYear)
  })

  test('a roster waits for the acknowledgement: 提出済・確認待ち until the ward acknowledges it', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, staff } = await scene()
    await client.post(`/contracts/${own.id}/rosters`).loginAs(sankoUser).withCsrfToken().form({
      'members[0][memberKind]': 'responsible',
      'members[0][fullName]': '三幸 太郎',
      'members[1][memberKind]': 'handler',
      'members[1][fullName]': '三幸 花子',
    })
    const duty = await dutyOf(own.id, 'roster', 'initial')
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.evidenceType, 'handler_roster')
    await client.post(`/rosters/${duty.evidenceId}/acknowledge`).loginAs(staff).withCsrfToken()
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
  })
})
