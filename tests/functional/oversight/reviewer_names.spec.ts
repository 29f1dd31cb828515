import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { DeletionCertificateFactory } from '#database/factories/deletion_certificate_factory'
import { PeriodicReportFactory } from '#database/factories/periodic_report_factory'
import { HandlerRosterFactory } from '#database/factories/handler_roster_factory'
import { IncidentReportFactory } from '#database/factories/incident_report_factory'
import { departmentTree, openRecordingQueries } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/** Reads of an account by an empty key (`where "id" is null`), which Lucid sends for a null key. */
const readsByEmptyKey = (queries: string[]) =>
  queries.filter((sql) => /from\s+["`]?users["`]?\s+where\s+["`]?id["`]?\s+is\s+null/i.test(sql))

/** Opens `path` as `user`: the answer's status and text, and its reads by an empty key. */
async function openWatchingReads(client: ApiClient, path: string, user: User) {
  const { page, queries } = await openRecordingQueries(client, path, user)
  return { status: page.status(), text: page.text(), emptyKeyReads: readsByEmptyKey(queries) }
}

/** A contract of the department's, its contractor's account and the staff member who checks. */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const checker = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '確認 花子',
  }).create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const system = await makeSystem(officer, tree.kocho.id)
  const contract = await makeContract(officer, system, {
    contractorId: contractor.id,
    title: 'メール配信サービス業務委託',
  })
  const contractorUser = await UserFactory.apply('contractor')
    .merge({ contractorId: contractor.id })
    .create()
  return { contract, checker, contractorUser }
}

/** The page of each submission: the certificate's, the report's and the roster's. */
const pagesOf = (certificate: { id: number }, report: { id: number }, roster: { id: number }) => [
  `/certificates/${certificate.id}`,
  `/periodic-reports/${report.id}`,
  `/rosters/${roster.id}`,
]

test.group('Oversight pages: who checked a submission', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a certificate, a report and a roster not checked yet read no account by an empty key', async ({
    client,
    assert,
  }) => {
    const { contract, contractorUser } = await scene()
    const certificate = await DeletionCertificateFactory.merge({ contractId: contract.id }).create()
    const report = await PeriodicReportFactory.merge({ contractId: contract.id }).create()
    const roster = await HandlerRosterFactory.merge({ contractId: contract.id })
      .with('members', 1, (member) => member.apply('responsible'))
      .create()

    for (const path of pagesOf(certificate, report, roster)) {
      const { status, emptyKeyReads } = await openWatchingReads(client, path, contractorUser)
      assert.equal(status, 200, path)
      assert.deepEqual(emptyKeyReads, [], path)
    }
  })

  test('once checked, each page names who checked it', async ({ client }) => {
    const { contract, checker, contractorUser } = await scene()
    const reviewed = { reviewedByUserId: checker.id, reviewedOn: DateTime.now().startOf('day') }
    const certificate = await DeletionCertificateFactory.apply('verified')
      .merge({ contractId: contract.id, ...reviewed })
      .create()
    const report = await PeriodicReportFactory.merge({
      contractId: contract.id,
      status: 'verified',
      ...reviewed,
    }).create()
    const roster = await HandlerRosterFactory.apply('acknowledged')
      .merge({ contractId: contract.id, acknowledgedByUserId: checker.id })
      .with('members', 1, (member) => member.apply('responsible'))
      .create()

    for (const path of pagesOf(certificate, report, roster)) {
      const page = await client.get(path).loginAs(contractorUser)
      page.assertStatus(200)
      page.assertTextIncludes('確認 花子')
    }
  })
})

test.group('Oversight pages: who filed an incident report', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a report names its reporter; once the account is gone, it reads no account by an empty key', async ({
    client,
    assert,
  }) => {
    const { contract, checker, contractorUser } = await scene()
    const filed = await IncidentReportFactory.merge({
      contractId: contract.id,
      reportedByUserId: checker.id,
      summary: '報告者のいる報告',
    }).create()
    const orphaned = await IncidentReportFactory.merge({
      contractId: contract.id,
      reportedByUserId: null,
      summary: '報告者のアカウントが削除された報告',
    }).create()

    const named = await client.get(`/incidents/${filed.id}`).loginAs(contractorUser)
    named.assertStatus(200)
    named.assertTextIncludes('確認 花子')

    const { status, text, emptyKeyReads } = await openWatchingReads(
      client,
      `/incidents/${orphaned.id}`,
      contractorUser
    )
    assert.equal(status, 200)
    assert.include(text, '報告者のアカウントが削除された報告')
    assert.notInclude(text, '確認 花子')
    assert.deepEqual(emptyKeyReads, [])
  })
})
