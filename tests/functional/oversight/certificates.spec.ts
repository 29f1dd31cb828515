import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import DeletionCertificate from '#models/deletion_certificate'
import PeriodicReport from '#models/periodic_report'
import OversightDuty from '#models/oversight_duty'
import AuditLog from '#models/audit_log'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

/**
 * A contract of 三幸 that ended on 2026-10-31 (its deletion certificate is
 * due) and asks for monthly reports, a contract of another contractor,
 * their users and ward staff inside and outside the department.
 */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
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
    ...period,
  })
  const others = await makeContract(officer, system, {
    contractorId: mail.id,
    title: '他社の委託',
    ...period,
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mail.id }).create()
  return { officer, staff, otherStaff, own, others, sankoUser, mailUser }
}

const facts = {
  method: 'logical_erasure',
  media: 'サーバ内ハードディスク\nUSBメモリ 2本',
  erasedOn: '2026-11-05',
  notes: '',
}

test.group('Deletion certificates', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => drive.restore('fs'))

  test('the contractor uploads a PDF; it is stored privately under a random key and streamed only to those allowed', async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { own, sankoUser, mailUser, staff, otherStaff } = await scene()
    const response = await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: '消去証明書.pdf' })
      .fields(facts)
      .redirects(0)
    response.assertStatus(302)
    const certificate = await DeletionCertificate.findByOrFail('contractId', own.id)
    response.assertHeader('location', `/certificates/${certificate.id}`)
    assert.match(certificate.storageKey, /^deletion-certificates\/[0-9a-f-]{36}\.pdf$/)
    assert.notInclude(certificate.storageKey, '消去証明書')
    fake.assertExists(certificate.storageKey)
    assert.equal(certificate.originalName, '消去証明書.pdf')
    assert.equal(certificate.status, 'submitted')
    assert.deepEqual(certificate.media, ['サーバ内ハードディスク', 'USBメモリ 2本'])
    assert.equal(certificate.erasedOn.toISODate(), '2026-11-05')
    const submitted = await lastAudit('deletion_certificate.submit')
    assert.deepEqual(submitted?.changedFields?.split(','), [
      'erasedOn',
      'file',
      'media',
      'method',
      'notes',
    ])
    assert.notInclude(
      JSON.stringify(await AuditLog.query().where('action', 'deletion_certificate.submit')),
      'USBメモリ'
    )

    const download = await client.get(`/certificates/${certificate.id}/file`).loginAs(sankoUser)
    download.assertStatus(200)
    download.assertHeader('content-type', 'application/pdf')
    assert.include(download.header('content-disposition'), 'attachment;')
    assert.equal(download.header('cache-control'), 'private, no-store')
    assert.deepEqual(Buffer.from(download.body()), PDF)
    const staffDownload = await client.get(`/certificates/${certificate.id}/file`).loginAs(staff)
    staffDownload.assertStatus(200)
    const mailUserDownload = await client
      .get(`/certificates/${certificate.id}/file`)
      .loginAs(mailUser)
    mailUserDownload.assertStatus(403)
    const otherStaffDownload = await client
      .get(`/certificates/${certificate.id}/file`)
      .loginAs(otherStaff)
    otherStaffDownload.assertStatus(403)
    const guestDownload = await client.get(`/certificates/${certificate.id}/file`).redirects(0)
    guestDownload.assertStatus(302)

    // Never publicly served.
    for (const path of [
      `/uploads/${certificate.storageKey}`,
      `/uploads/deletion-certificates`,
      `/storage/${certificate.storageKey}`,
      `/${certificate.storageKey}`,
    ]) {
      const direct = await client.get(path)
      assert.equal(direct.status(), 404, path)
      assert.notInclude(direct.text(), '%PDF-')
    }
  })

  test('a non-PDF (by content) or a file over 10 MB is refused in Japanese and nothing is saved', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { own, sankoUser } = await scene()
    const attempts: Array<[Buffer, string, string]> = [
      [
        Buffer.from('<html><script>alert(1)</script></html>'),
        'certificate.pdf',
        'PDFファイルのみ提出できます（ファイルの内容がPDFではありません）。',
      ],
      [
        PDF,
        'certificate.html',
        'PDFファイルのみ提出できます（ファイルの内容がPDFではありません）。',
      ],
      [
        Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]),
        'large.pdf',
        'ファイルの大きさは10MBまでです。',
      ],
    ]
    for (const [content, filename, message] of attempts) {
      const response = await client
        .post(`/contracts/${own.id}/certificates`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .file('certificate', content, { filename })
        .fields(facts)
        .redirects(0)
      response.assertHeader('location', `/contracts/${own.id}/certificates/create`)
      response.assertFlashMessage('errors', { certificate: [message] })
    }
    const missing = await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .fields(facts)
      .redirects(0)
    missing.assertFlashMessage('errors', { certificate: ['PDFファイルを選択してください。'] })
    assert.lengthOf(await DeletionCertificate.all(), 0)
    const stored = await drive.use('fs').listAll('/', { recursive: true })
    assert.lengthOf([...stored.objects], 0)

    // The message shows on the form, next to the file input.
    const form = await client
      .get(`/contracts/${own.id}/certificates/create`)
      .loginAs(sankoUser)
      .withSession({ __flash__: { errors: { certificate: ['ファイルの大きさは10MBまでです。'] } } })
    form.assertTextIncludes('id="field-certificate-error">ファイルの大きさは10MBまでです。')
  })

  test('the department verifies a certificate, which satisfies the return-and-erasure duty', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { own, sankoUser, staff, otherStaff } = await scene()
    await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: 'c.pdf' })
      .fields(facts)
    const certificate = await DeletionCertificate.findByOrFail('contractId', own.id)
    const submitted = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'return_erasure')
      .firstOrFail()
    assert.equal(submitted.state, 'submitted')
    assert.equal(submitted.evidenceId, certificate.id)
    const response = await client
      .post(`/certificates/${certificate.id}/verify`)
      .loginAs(sankoUser)
      .withCsrfToken()
    response.assertStatus(403)
    const otherStaffVerifyPost = await client
      .post(`/certificates/${certificate.id}/verify`)
      .loginAs(otherStaff)
      .withCsrfToken()
    otherStaffVerifyPost.assertStatus(403)
    const page = await client.get(`/certificates/${certificate.id}`).loginAs(staff)
    page.assertTextIncludes('確認済みにする')

    await client.post(`/certificates/${certificate.id}/verify`).loginAs(staff).withCsrfToken()
    await certificate.refresh()
    assert.equal(certificate.status, 'verified')
    assert.equal(certificate.reviewedByUserId, staff.id)
    const duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'return_erasure')
      .firstOrFail()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceType, 'deletion_certificate')
    assert.equal(duty.evidenceId, certificate.id)
    const sankoUserCertificate = await client
      .get(`/certificates/${certificate.id}`)
      .loginAs(sankoUser)
    sankoUserCertificate.assertTextIncludes('確認済み')
  })

  test('a rejection needs a reason; the duty is sent back and the contractor sees why', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { own, sankoUser, officer } = await scene()
    await client
      .post(`/contracts/${own.id}/certificates`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('certificate', PDF, { filename: 'c.pdf' })
      .fields(facts)
    const certificate = await DeletionCertificate.findByOrFail('contractId', own.id)
    const empty = await client
      .post(`/certificates/${certificate.id}/reject`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ rejectionReason: '' })
      .redirects(0)
    empty.assertStatus(302)
    assert.match(JSON.stringify(empty.flashMessages()), /入力してください/)
    await client
      .post(`/certificates/${certificate.id}/reject`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ rejectionReason: '押印がありません。' })
    await certificate.refresh()
    assert.equal(certificate.status, 'rejected')
    const rejected = await lastAudit('deletion_certificate.reject')
    assert.equal(rejected?.changedFields, 'rejectionReason,reviewedByUserId,reviewedOn,status')
    const duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'return_erasure')
      .firstOrFail()
    assert.equal(duty.state, 'returned')
    assert.equal(duty.returnedReason, '押印がありません。')
    const page = await client.get(`/certificates/${certificate.id}`).loginAs(sankoUser)
    page.assertTextIncludes('差戻し')
    page.assertTextIncludes('押印がありません。')
    // A rejected certificate is not verified afterwards.
    await client.post(`/certificates/${certificate.id}/verify`).loginAs(officer).withCsrfToken()
    await certificate.refresh()
    assert.equal(certificate.status, 'rejected')
  })
})

test.group('Periodic reports', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => drive.restore('fs'))

  test('a report with figures waits for the check of its period’s duty; a second one for the period is refused', async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { own, sankoUser, staff } = await scene()
    const form = await client.get(`/contracts/${own.id}/periodic-reports/create`).loginAs(sankoUser)
    form.assertTextIncludes('value="2026-04"')

    const response = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('report', PDF, { filename: '9月報告.pdf' })
      .fields({
        period: '2026-09',
        subscribers: '12345',
        deliveries: '67890',
        notes: '配信障害なし',
      })
      .redirects(0)
    const report = await PeriodicReport.findByOrFail('contractId', own.id)
    response.assertHeader('location', `/periodic-reports/${report.id}`)
    assert.equal(report.subscribers, 12345)
    assert.equal(report.deliveries, 67890)
    fake.assertExists(report.storageKey!)
    const duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'periodic_report')
      .where('periodKey', '2026-09')
      .firstOrFail()
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.evidenceType, 'periodic_report')
    assert.equal(duty.evidenceId, report.id)
    const filed = await lastAudit('periodic_report.submit')
    assert.equal(filed?.changedFields, 'deliveries,file,notes,period,subscribers')

    const again = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-09', subscribers: '1' })
      .redirects(0)
    again.assertFlashMessage('errors', { period: ['この期間の定期報告は既に提出されています。'] })

    const page = await client.get(`/periodic-reports/${report.id}`).loginAs(staff)
    page.assertTextIncludes('12345')
    const staffDownload = await client.get(`/periodic-reports/${report.id}/file`).loginAs(staff)
    staffDownload.assertStatus(200)
    const staffPeriodicReports = await client
      .get(`/contracts/${own.id}/periodic-reports`)
      .loginAs(staff)
    staffPeriodicReports.assertTextIncludes('9月報告.pdf')
  })

  test('the PDF is optional but checked; figures must be whole numbers', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { own, sankoUser } = await scene()
    await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-08', subscribers: '100', deliveries: '200' })
    const plain = await PeriodicReport.findByOrFail('period', '2026-08')
    assert.isNull(plain.storageKey)
    const sankoUserDownload = await client
      .get(`/periodic-reports/${plain.id}/file`)
      .loginAs(sankoUser)
    sankoUserDownload.assertStatus(404)

    const fake = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .file('report', Buffer.from('PK\x03\x04 not a pdf'), { filename: 'report.pdf' })
      .fields({ period: '2026-07', subscribers: '1' })
      .redirects(0)
    fake.assertFlashMessage('errors', {
      report: ['PDFファイルのみ提出できます（ファイルの内容がPDFではありません）。'],
    })
    const decimals = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-07', subscribers: '1.5' })
      .redirects(0)
    assert.match(JSON.stringify(decimals.flashMessages()), /整数で入力してください/)
    const badPeriod = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-13', subscribers: '1' })
      .redirects(0)
    assert.match(JSON.stringify(badPeriod.flashMessages()), /形式が正しくありません/)
    const empty = await client
      .post(`/contracts/${own.id}/periodic-reports`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ period: '2026-07' })
      .redirects(0)
    empty.assertFlashMessage('errors', {
      subscribers: ['登録者数・配信数・備考・報告書のいずれかを入力してください。'],
    })
    assert.lengthOf(await PeriodicReport.query().where('period', '2026-07'), 0)
  })
})
