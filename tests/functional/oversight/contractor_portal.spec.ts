import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import HandlerRoster from '#models/handler_roster'
import DeletionCertificate from '#models/deletion_certificate'
import PeriodicReport from '#models/periodic_report'
import SubmitRoster from '#actions/oversight/submit_roster'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { DeletionCertificateFactory } from '#database/factories/deletion_certificate_factory'
import { PeriodicReportFactory } from '#database/factories/periodic_report_factory'
import { departmentTree, openRecordingQueries } from '#tests/helpers'
import { makeContract, makeSystem, termsAllowingSubcontracts } from '#tests/register_helpers'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

/**
 * Two contractors (三幸 with a subcontract to 丙, and 安心メール配信), each
 * with a contract that owes a roster, a certificate and monthly reports,
 * and something already filed for each of them.
 */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const [sanko, mail, hei] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '安心メール配信株式会社' },
    { name: '丙データ株式会社' },
  ]).createMany(3)
  // Seed 000's set forbids subcontracting (issue 13): the same set allowing it with the ward's written approval.
  const terms = await termsAllowingSubcontracts()
  const system = await makeSystem(officer, tree.kocho.id, { name: '広聴システム' })
  const terms16 = {
    specialTermSetId: terms.id,
    startsOn: new Date('2026-04-01'),
    endsOn: new Date('2026-10-31'),
    reportFrequency: 'monthly' as const,
    contractorMeasuresOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
  }
  const own = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'コールセンター業務委託',
    ...terms16,
  })
  const sub = await makeContract(
    officer,
    system,
    { contractorId: hei.id, title: '入力業務の再委託' },
    own
  )
  const others = await makeContract(officer, system, {
    contractorId: mail.id,
    title: 'メール配信業務委託',
    ...terms16,
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mail.id }).create()
  const heiUser = await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()
  const members = [
    { memberKind: 'responsible' as const, fullName: '配信 責任者' },
    { memberKind: 'handler' as const, fullName: '配信 担当者' },
  ]
  const submitRoster = await app.container.make(SubmitRoster)
  const roster = await submitRoster.handle(others, { members }, mailUser)
  const certificate = await DeletionCertificateFactory.merge({
    contractId: others.id,
    erasedOn: others.endsOn!,
    storageKey: 'deletion-certificates/00000000-0000-4000-8000-000000000000.pdf',
    originalName: 'other.pdf',
    size: PDF.length,
  }).create()
  const report = await PeriodicReportFactory.apply('withFile')
    .merge({
      contractId: others.id,
      period: '2026-09',
      storageKey: 'periodic-reports/00000000-0000-4000-8000-000000000001.pdf',
      originalName: 'other-report.pdf',
      size: PDF.length,
      submittedOn: others.endsOn!,
    })
    .create()
  return {
    officer,
    staff,
    own,
    sub,
    others,
    sankoUser,
    mailUser,
    heiUser,
    roster,
    certificate,
    report,
  }
}

test.group('Contractor portal', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => drive.restore('fs'))

  test('a contractor sees only its contracts, subcontracts under them, and their duties', async ({
    client,
    assert,
  }) => {
    const { own, sub, sankoUser, heiUser, mailUser } = await scene()
    const page = await client.get('/portal').loginAs(sankoUser)
    page.assertStatus(200)
    page.assertTextIncludes('受託事業者ポータル')
    page.assertTextIncludes('コールセンター業務委託')
    page.assertTextIncludes('入力業務の再委託')
    page.assertTextIncludes('取扱者名簿')
    page.assertTextIncludes('期限超過')
    page.assertTextIncludes('消去証明書')
    page.assertTextIncludes(`href="/incidents/create?contractId=${own.id}"`)
    assert.notInclude(page.text(), 'メール配信業務委託')

    const heiPage = await client.get('/portal').loginAs(heiUser)
    heiPage.assertTextIncludes('入力業務の再委託')
    assert.notInclude(heiPage.text(), 'コールセンター業務委託</a>')
    assert.notInclude(heiPage.text(), 'メール配信業務委託')

    const mailPage = await client.get('/portal').loginAs(mailUser)
    mailPage.assertTextIncludes('メール配信業務委託')
    assert.notInclude(mailPage.text(), 'コールセンター業務委託')

    const { page: detail, queries } = await openRecordingQueries(
      client,
      `/portal/contracts/${own.id}`,
      sankoUser
    )
    detail.assertStatus(200)
    detail.assertTextIncludes('名簿を提出する（新しい版）')
    detail.assertTextIncludes('消去証明書を提出する')
    detail.assertTextIncludes('定期報告を提出する')
    // Whether the contractor sees the contract is read once, for the page and each submit link.
    const visibilityChecks = queries.filter((sql) =>
      /^select [`"]?id[`"]? from [`"]?contracts[`"]? where/.test(sql)
    )
    assert.lengthOf(visibilityChecks, 1)
    const sankoSubDetail = await client.get(`/portal/contracts/${sub.id}`).loginAs(sankoUser)
    sankoSubDetail.assertStatus(200)
    const heiSubDetail = await client.get(`/portal/contracts/${sub.id}`).loginAs(heiUser)
    heiSubDetail.assertStatus(200)
    const heiParentDetail = await client.get(`/portal/contracts/${own.id}`).loginAs(heiUser)
    heiParentDetail.assertStatus(403)
  })

  test('ward users are sent to their dashboard, guests to the login', async ({ client }) => {
    const { staff, own } = await scene()
    const staffPortal = await client.get('/portal').loginAs(staff).redirects(0)
    staffPortal.assertHeader('location', '/dashboard')
    const staffContract = await client
      .get(`/portal/contracts/${own.id}`)
      .loginAs(staff)
      .redirects(0)
    staffContract.assertHeader('location', `/contracts/${own.id}`)
    const guestPortal = await client.get('/portal').redirects(0)
    guestPortal.assertHeader('location', '/login')
  })

  test('URL tampering: another contractor gets 403 on every page and action, and nothing changes', async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { others, sankoUser, roster, certificate, report } = await scene()
    const gets = [
      `/portal/contracts/${others.id}`,
      `/contracts/${others.id}/rosters`,
      `/contracts/${others.id}/rosters/create`,
      `/rosters/${roster.id}`,
      `/contracts/${others.id}/certificates`,
      `/contracts/${others.id}/certificates/create`,
      `/certificates/${certificate.id}`,
      `/certificates/${certificate.id}/file`,
      `/contracts/${others.id}/periodic-reports`,
      `/contracts/${others.id}/periodic-reports/create`,
      `/periodic-reports/${report.id}`,
      `/periodic-reports/${report.id}/file`,
    ]
    for (const url of gets) {
      const response = await client.get(url).loginAs(sankoUser).redirects(0)
      assert.equal(response.status(), 403, url)
      assert.notInclude(response.text(), 'メール配信業務委託', url)
      assert.notInclude(response.text(), '配信 責任者', url)
    }

    const posts: Array<[string, Record<string, string>, string | null]> = [
      [
        `/contracts/${others.id}/rosters`,
        {
          'members[0][memberKind]': 'responsible',
          'members[0][fullName]': '侵入 者',
          'members[1][memberKind]': 'handler',
          'members[1][fullName]': '侵入 者2',
        },
        null,
      ],
      [`/rosters/${roster.id}/acknowledge`, {}, null],
      [
        `/contracts/${others.id}/certificates`,
        { method: 'logical_erasure', media: 'HDD', erasedOn: '2026-11-01' },
        'certificate',
      ],
      [`/certificates/${certificate.id}/verify`, {}, null],
      [`/certificates/${certificate.id}/reject`, { rejectionReason: '不正' }, null],
      [
        `/contracts/${others.id}/periodic-reports`,
        { period: '2026-08', subscribers: '1' },
        'report',
      ],
    ]
    for (const [url, fields, file] of posts) {
      const request = client.post(url).loginAs(sankoUser).withCsrfToken().redirects(0)
      const response = file
        ? await request.file(file, PDF, { filename: 'x.pdf' }).fields(fields)
        : await request.form(fields)
      assert.equal(response.status(), 403, url)
    }
    assert.lengthOf(await HandlerRoster.query().where('contractId', others.id), 1)
    await roster.refresh()
    assert.isNull(roster.acknowledgedOn)
    await certificate.refresh()
    assert.equal(certificate.status, 'submitted')
    assert.lengthOf(await DeletionCertificate.all(), 1)
    assert.lengthOf(await PeriodicReport.all(), 1)
    const stored = await drive.use('fs').listAll('/', { recursive: true })
    assert.lengthOf([...stored.objects], 0)
    fake.assertMissing(certificate.storageKey)
  })

  test('records that do not exist are 404', async ({ client }) => {
    const { sankoUser } = await scene()
    for (const url of [
      '/portal/contracts/99999',
      '/contracts/99999/rosters',
      '/rosters/99999',
      '/certificates/99999/file',
      '/periodic-reports/99999',
    ]) {
      const response = await client.get(url).loginAs(sankoUser).redirects(0)
      response.assertStatus(404)
    }
  })
})
