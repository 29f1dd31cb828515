import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import IncidentReport from '#models/incident_report'
import IncidentReportItem from '#models/incident_report_item'
import DataItem from '#models/data_item'
import Contract from '#models/contract'
import type User from '#models/user'
import SaveIncidentReport, {
  type IncidentReportInput,
} from '#actions/oversight/save_incident_report'
import type { SpecialCareCategory } from '#enums/register'
import { UserFactory } from '#database/factories/user_factory'
import { DataItemFactory } from '#database/factories/data_item_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { IncidentReportFactory } from '#database/factories/incident_report_factory'
import {
  departmentTree,
  lastAudit,
  openRecordingQueries,
  queriesDuring,
  writesTo,
} from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/**
 * 広聴担当課's system with an ordinary item, a special-care item and an
 * ordinance special-care item; a contract of 三幸 with a subcontract to 丙,
 * and a contract of another contractor; their users and ward staff.
 */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const otherStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const [sanko, mail, hei] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '安心メール配信株式会社' },
    { name: '丙データ株式会社' },
  ]).createMany(3)
  const system = await makeSystem(officer, tree.kocho.id)
  const item = (name: string, specialCareCategory: SpecialCareCategory | null, sortOrder: number) =>
    DataItem.create({ systemId: system.id, name, specialCareCategory, sortOrder })
  const name = await item('氏名', null, 0)
  const medical = await item('病歴', 'medical_history', 1)
  const ordinance = await item('生活保護の受給状況', 'ordinance', 2)
  const own = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'コールセンター業務委託',
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
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mail.id }).create()
  const heiUser = await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()
  return {
    tree,
    officer,
    staff,
    otherStaff,
    system,
    name,
    medical,
    ordinance,
    own,
    sub,
    others,
    sankoUser,
    mailUser,
    heiUser,
  }
}

/** The form as a browser sends it: discovered 2025-12-28 10:00, 3 people, one ordinary item. */
const form = (overrides: Record<string, unknown> = {}) => ({
  kind: 'mis_sending',
  occurredAt: '2025-12-27T15:00',
  discoveredAt: '2025-12-28T10:00',
  reportedToWardAt: '2025-12-28T11:30',
  peopleAffected: '3',
  summary: '案内メールを宛先を誤って送信した。',
  cause: '宛先の確認漏れ',
  ...overrides,
})

/** A report filed through the real use case, for list and access tests. */
async function fileIncident(
  user: User,
  contractId: number,
  summary: string,
  overrides: Partial<IncidentReportInput> = {}
) {
  const contract = await Contract.query().where('id', contractId).preload('system').firstOrFail()
  const input: IncidentReportInput = {
    kind: 'loss',
    discoveredAt: new Date(2025, 11, 28, 10, 0),
    reportedToWardAt: new Date(2025, 11, 28, 12, 0),
    peopleAffected: 3,
    summary,
    ...overrides,
  }
  const save = await app.container.make(SaveIncidentReport)
  return save.handle(new IncidentReport(), contract, input, user)
}

test.group('Incidents: filing and reportability', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a contractor files a report for its own contract; the change is audited by field name only', async ({
    client,
    assert,
  }) => {
    const { own, name, sankoUser } = await scene()
    const sankoUserCreate = await client
      .get(`/contracts/${own.id}/incidents/create`)
      .loginAs(sankoUser)
    sankoUserCreate.assertStatus(200)
    const response = await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(form({ 'dataItemIds[]': [name.id] }))
      .redirects(0)
    const report = await IncidentReport.query()
      .where('contractId', own.id)
      .preload('items')
      .firstOrFail()
    response.assertStatus(302)
    response.assertHeader('location', `/incidents/${report.id}`)
    assert.equal(report.reportedByUserId, sankoUser.id)
    assert.equal(report.kind, 'mis_sending')
    assert.deepEqual(
      report.items.map((item) => item.name),
      ['氏名']
    )
    assert.isFalse(report.reportable)
    assert.isNull(report.preliminaryDueOn)

    const page = await client.get(`/incidents/${report.id}`).loginAs(sankoUser)
    page.assertStatus(200)
    page.assertTextIncludes('事故報告：誤送付・誤送信（コールセンター業務委託）')
    page.assertTextIncludes('個人情報保護委員会への報告対象の事態には該当しません')
    page.assertTextIncludes('令和7年12月28日 10:00')

    const audit = (await lastAudit('incident_report.create'))!
    assert.equal(audit.subjectId, String(report.id))
    assert.includeMembers(audit.changedFieldList, [
      'summary',
      'discoveredAt',
      'peopleAffected',
      'dataItems',
    ])
    assert.notInclude(`${audit.changedFields}${audit.details}`, '宛先')
  })

  test('special-care data: reportable, 速報 and 確報 deadlines counted from discovery', async ({
    client,
    assert,
  }) => {
    const { own, medical, staff } = await scene()
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ 'dataItemIds[]': [medical.id] }))
    const report = await IncidentReport.findByOrFail('contractId', own.id)
    assert.isTrue(report.reportable)
    assert.deepEqual(report.reportableReasons, ['special_care'])
    // Discovered 2025-12-28 10:00: 速報 by 2026-01-02, 確報 on the 30th day counting 12/28 as day 1, 2026-01-26.
    assert.equal(report.preliminaryDueOn?.toISODate(), '2026-01-02')
    assert.equal(report.finalDueOn?.toISODate(), '2026-01-26')

    const page = await client.get(`/incidents/${report.id}`).loginAs(staff)
    page.assertTextIncludes('個人情報保護委員会への報告が必要です')
    page.assertTextIncludes('要配慮個人情報が含まれる')
    page.assertTextIncludes('令和8年1月2日')
    page.assertTextIncludes('令和8年1月26日')
    page.assertTextIncludes('（発見日を1日目として30日目。休日の場合は翌開庁日）')
    page.assertTextIncludes('（目安：発見日の5日後）')
    page.assertTextIncludes('発見から速やかに（3〜5日程度）')
    page.assertTextIncludes('発見日を含めて30日以内')
    // Overdue is said in words, not only by colour.
    page.assertTextIncludes('期限超過')
  })

  test('more than 100 people is reportable; exactly 100 is not', async ({ client, assert }) => {
    const { own, staff } = await scene()
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ peopleAffected: '100', summary: '百人' }))
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ peopleAffected: '101', summary: '百一人' }))
    const hundred = await IncidentReport.findByOrFail('summary', '百人')
    const hundredOne = await IncidentReport.findByOrFail('summary', '百一人')
    assert.isFalse(hundred.reportable)
    assert.isTrue(hundredOne.reportable)
    assert.deepEqual(hundredOne.reportableReasons, ['over_100_people'])
    const staffIncident = await client.get(`/incidents/${hundredOne.id}`).loginAs(staff)
    staffIncident.assertTextIncludes('本人の数が100人を超える')
  })

  test('an unknown number of people is kept as unknown, with a warning', async ({
    client,
    assert,
  }) => {
    const { own, staff } = await scene()
    const missing = await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ peopleAffected: '' }))
      .redirects(0)
    missing.assertFlashMessage('errors', {
      peopleAffected: ['本人の数を入力するか、「本人の数は不明」を選択してください。'],
    })
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ peopleAffected: '', peopleAffectedUnknown: 'true' }))
    const report = await IncidentReport.findByOrFail('contractId', own.id)
    assert.isNull(report.peopleAffected)
    assert.isTrue(report.peopleAffectedUnknown)
    const page = await client.get(`/incidents/${report.id}`).loginAs(staff)
    page.assertTextIncludes('100人を超えるおそれがある場合は報告対象となります')
  })

  test('possible financial damage, and ordinance special-care data', async ({ client, assert }) => {
    const { own, ordinance, staff } = await scene()
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ financialDamageRisk: 'true', summary: 'カード番号' }))
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ 'dataItemIds[]': [ordinance.id], 'summary': '条例' }))
    const financial = await IncidentReport.findByOrFail('summary', 'カード番号')
    const byOrdinance = await IncidentReport.findByOrFail('summary', '条例')
    assert.deepEqual(financial.reportableReasons, ['financial_damage'])
    assert.equal(financial.finalDueOn?.toISODate(), '2026-01-26')
    assert.deepEqual(byOrdinance.reportableReasons, ['ordinance_special_care'])
    const financialPage = await client.get(`/incidents/${financial.id}`).loginAs(staff)
    financialPage.assertTextIncludes('不正に利用されることにより財産的被害が生じるおそれがある')
    const ordinancePage = await client.get(`/incidents/${byOrdinance.id}`).loginAs(staff)
    ordinancePage.assertTextIncludes('条例要配慮個人情報が含まれる')
  })

  test('a suspected improper purpose gives 60 days for the 確報', async ({ client, assert }) => {
    const { own, staff } = await scene()
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ kind: 'unauthorised_access', improperPurposeSuspected: 'true' }))
    const report = await IncidentReport.findByOrFail('contractId', own.id)
    assert.deepEqual(report.reportableReasons, ['improper_purpose'])
    assert.equal(report.preliminaryDueOn?.toISODate(), '2026-01-02')
    assert.equal(report.finalDueOn?.toISODate(), '2026-02-25')
    const page = await client.get(`/incidents/${report.id}`).loginAs(staff)
    page.assertTextIncludes('不正の目的をもって行われたおそれがある')
    page.assertTextIncludes('発見日を含めて60日以内（不正の目的のおそれがあるため）')
    page.assertTextIncludes('令和8年2月25日')
    page.assertTextIncludes('（発見日を1日目として60日目。休日の場合は翌開庁日）')
  })

  test('the 確報 date shows its basis: day 30 counting discovery as day 1, moved off a closed day', async ({
    client,
    assert,
  }) => {
    const { own, medical, staff } = await scene()
    // Discovered 2026-11-25: the 30th day is Thursday 2026-12-24, an open day.
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        form({
          'dataItemIds[]': [medical.id],
          'summary': '年内',
          'occurredAt': '2026-11-24T15:00',
          'discoveredAt': '2026-11-25T10:00',
          'reportedToWardAt': '2026-11-25T12:00',
        })
      )
    const inYear = await IncidentReport.findByOrFail('summary', '年内')
    assert.equal(inYear.finalDueOn?.toISODate(), '2026-12-24')
    const page = await client.get(`/incidents/${inYear.id}`).loginAs(staff)
    assert.match(
      page.text(),
      /<time datetime="2026-12-24">令和8年12月24日<\/time>\s*<br><span class="small">（発見日を1日目として30日目。休日の場合は翌開庁日）<\/span>/
    )

    // Discovered 2025-11-30: the 30th day, 2025-12-29, is in the year-end closure; due the first open day, 2026-01-05.
    await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(
        form({
          'dataItemIds[]': [medical.id],
          'summary': '年末',
          'occurredAt': '2025-11-29T15:00',
          'discoveredAt': '2025-11-30T10:00',
          'reportedToWardAt': '2025-11-30T12:00',
        })
      )
    const yearEnd = await IncidentReport.findByOrFail('summary', '年末')
    assert.equal(yearEnd.finalDueOn?.toISODate(), '2026-01-05')
    const moved = await client.get(`/incidents/${yearEnd.id}`).loginAs(staff)
    moved.assertTextIncludes('令和8年1月5日')
    moved.assertTextIncludes('（発見日を1日目として30日目の令和7年12月29日が休日のため、翌開庁日）')
  })

  test('times out of order, malformed or in the future are refused in Japanese and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser } = await scene()
    const post = (overrides: Record<string, unknown>) =>
      client
        .post(`/contracts/${own.id}/incidents`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form(form(overrides))
        .redirects(0)

    const early = await post({ occurredAt: '2025-12-28T10:01', discoveredAt: '2025-12-28T10:00' })
    early.assertFlashMessage('errors', {
      discoveredAt: ['発見日時は発生日時以降の日時を入力してください。'],
    })
    const beforeDiscovery = await post({ reportedToWardAt: '2025-12-28T09:59' })
    beforeDiscovery.assertFlashMessage('errors', {
      reportedToWardAt: ['区への報告日時は発見日時以降の日時を入力してください。'],
    })
    const future = await post({
      discoveredAt: '2099-01-01T10:00',
      reportedToWardAt: '2099-01-01T11:00',
    })
    future.assertFlashMessage('errors', { discoveredAt: ['未来の日時は入力できません。'] })
    const malformed = await post({ discoveredAt: '2025-13-45T10:00' })
    const bag = malformed.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.match(bag.discoveredAt[0], /は日付で入力してください$/)

    assert.lengthOf(await IncidentReport.all(), 0)
  })

  test('data items must come from the contract’s system', async ({ client, assert }) => {
    const { own, staff, officer, tree } = await scene()
    const otherSystem = await makeSystem(officer, tree.kocho.id, { name: '別の業務' })
    const foreign = await DataItem.create({
      systemId: otherSystem.id,
      name: '口座番号',
      sortOrder: 0,
    })
    const response = await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form({ 'dataItemIds[]': [foreign.id] }))
      .redirects(0)
    response.assertFlashMessage('errors', {
      dataItemIds: ['この委託の登録業務の記録項目から選択してください。'],
    })
    assert.lengthOf(await IncidentReport.all(), 0)
  })
})

test.group('Incidents: who sees and files what', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a contractor sees its own contracts’ and subcontracts’ reports, never another contractor’s', async ({
    client,
    assert,
  }) => {
    const { own, sub, others, officer, sankoUser, mailUser, heiUser } = await scene()
    const ownReport = await fileIncident(officer, own.id, '三幸の事故')
    const subReport = await fileIncident(officer, sub.id, '丙の事故')
    const othersReport = await fileIncident(officer, others.id, 'メール配信の事故')

    const list = await client.get('/incidents').loginAs(sankoUser)
    list.assertStatus(200)
    list.assertTextIncludes('コールセンター業務委託')
    list.assertTextIncludes('入力業務の再委託')
    assert.notInclude(list.text(), 'メール配信業務委託')
    const heiList = await client.get('/incidents').loginAs(heiUser)
    heiList.assertTextIncludes('入力業務の再委託')
    assert.notInclude(heiList.text(), 'コールセンター業務委託')

    const ownReportPage = await client.get(`/incidents/${ownReport.id}`).loginAs(sankoUser)
    ownReportPage.assertStatus(200)
    const subReportPage = await client.get(`/incidents/${subReport.id}`).loginAs(sankoUser)
    subReportPage.assertStatus(200)
    // URL tampering: another contractor's report, its edit form, update and records.
    const othersReportPage = await client.get(`/incidents/${othersReport.id}`).loginAs(sankoUser)
    othersReportPage.assertStatus(403)
    const sankoUserEdit = await client.get(`/incidents/${othersReport.id}/edit`).loginAs(sankoUser)
    sankoUserEdit.assertStatus(403)
    const sankoUserIncidentPut = await client
      .put(`/incidents/${othersReport.id}`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(form({ summary: '改ざん' }))
    sankoUserIncidentPut.assertStatus(403)
    const sankoUserNotificationPost = await client
      .post(`/incidents/${othersReport.id}/notification`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ notifiedAt: '2026-01-05T14:30', notificationMethod: 'phone' })
    sankoUserNotificationPost.assertStatus(403)
    const mailUserIncident = await client.get(`/incidents/${ownReport.id}`).loginAs(mailUser)
    mailUserIncident.assertStatus(403)
    const heiUserIncident = await client.get(`/incidents/${ownReport.id}`).loginAs(heiUser)
    heiUserIncident.assertStatus(403)
    await othersReport.refresh()
    assert.equal(othersReport.summary, 'メール配信の事故')
    assert.isNull(othersReport.individualsNotifiedAt)
  })

  test('a contractor cannot file for another contractor’s contract', async ({ client, assert }) => {
    const { others, sankoUser } = await scene()
    const sankoUserCreate = await client
      .get(`/contracts/${others.id}/incidents/create`)
      .loginAs(sankoUser)
    sankoUserCreate.assertStatus(403)
    const sankoUserIncidentsPost = await client
      .post(`/contracts/${others.id}/incidents`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(form())
    sankoUserIncidentsPost.assertStatus(403)
    assert.lengthOf(await IncidentReport.all(), 0)
    const choose = await client.get('/incidents/create').loginAs(sankoUser)
    choose.assertTextIncludes('コールセンター業務委託')
    assert.notInclude(choose.text(), 'メール配信業務委託')
  })

  test('choosing the contract of a new report: the department’s contracts, or the contractor’s own, each without asking again whether it is visible', async ({
    client,
    assert,
  }) => {
    const { staff, otherStaff, sankoUser } = await scene()
    // Whether one contract is visible: its system's department, or the contract in the scope.
    const perContract = (queries: string[]) =>
      queries.filter(
        (sql) =>
          /from [`"]?personal_data_systems[`"]? where [`"]?id[`"]? in \(select [`"]?system_id[`"]? from [`"]?contracts[`"]? where [`"]?id[`"]? = /.test(
            sql
          ) || /^select [`"]?id[`"]? from [`"]?contracts[`"]? where/.test(sql)
      )

    const asStaff = await openRecordingQueries(client, '/incidents/create', staff)
    asStaff.page.assertStatus(200)
    for (const title of ['コールセンター業務委託', '入力業務の再委託', 'メール配信業務委託'])
      asStaff.page.assertTextIncludes(title)
    assert.deepEqual(perContract(asStaff.queries), [])

    const asContractor = await openRecordingQueries(client, '/incidents/create', sankoUser)
    asContractor.page.assertTextIncludes('コールセンター業務委託')
    asContractor.page.assertTextIncludes('入力業務の再委託')
    assert.notInclude(asContractor.page.text(), 'メール配信業務委託')
    assert.deepEqual(perContract(asContractor.queries), [])

    const asOtherDepartment = await client.get('/incidents/create').loginAs(otherStaff)
    assert.notInclude(asOtherDepartment.text(), 'コールセンター業務委託')
  })

  test('ward staff see their department’s reports; another department gets 403; the privacy office sees all', async ({
    client,
    assert,
  }) => {
    const { tree, own, officer, staff, otherStaff } = await scene()
    const report = await fileIncident(officer, own.id, '広聴の事故')
    const kikiSystem = await makeSystem(officer, tree.kikikanri.id, { name: '防災情報配信' })
    const kikiContract = await makeContract(officer, kikiSystem, {
      contractorId: own.contractorId!,
      title: '防災メール配信委託',
    })
    await fileIncident(officer, kikiContract.id, '危機管理の事故')

    const list = await client.get('/incidents').loginAs(staff)
    list.assertTextIncludes('コールセンター業務委託')
    assert.notInclude(list.text(), '防災メール配信委託')
    const otherList = await client.get('/incidents').loginAs(otherStaff)
    otherList.assertTextIncludes('防災メール配信委託')
    assert.notInclude(otherList.text(), 'コールセンター業務委託')
    const all = await client.get('/incidents').loginAs(officer)
    all.assertTextIncludes('コールセンター業務委託')
    all.assertTextIncludes('防災メール配信委託')

    const staffIncident = await client.get(`/incidents/${report.id}`).loginAs(staff)
    staffIncident.assertStatus(200)
    const otherStaffIncident = await client.get(`/incidents/${report.id}`).loginAs(otherStaff)
    otherStaffIncident.assertStatus(403)
    const otherStaffCreate = await client
      .get(`/contracts/${own.id}/incidents/create`)
      .loginAs(otherStaff)
    otherStaffCreate.assertStatus(403)
    const otherStaffIncidentsPost = await client
      .post(`/contracts/${own.id}/incidents`)
      .loginAs(otherStaff)
      .withCsrfToken()
      .form(form())
    otherStaffIncidentsPost.assertStatus(403)
  })

  test('the list filters reportable and overdue reports and sorts by the next deadline', async ({
    client,
    assert,
  }) => {
    const { own, officer, medical } = await scene()
    await fileIncident(officer, own.id, '対象外の事故', {
      discoveredAt: new Date(2025, 11, 30, 9, 0),
      reportedToWardAt: new Date(2025, 11, 30, 9, 0),
    })
    await fileIncident(officer, own.id, '早い事故', {
      dataItemIds: [medical.id],
      discoveredAt: new Date(2025, 10, 1, 9, 0),
      reportedToWardAt: new Date(2025, 10, 1, 9, 0),
    })
    const late = await fileIncident(officer, own.id, '遅い事故', {
      peopleAffected: 500,
      discoveredAt: new Date(2025, 11, 1, 9, 0),
      reportedToWardAt: new Date(2025, 11, 1, 9, 0),
    })
    await late
      .merge({
        ppcPreliminarySentAt: late.discoveredAt,
        ppcFinalSentAt: late.discoveredAt,
        nextDueOn: null,
      })
      .save()

    const reportable = await client.get('/incidents?reportable=yes').loginAs(officer)
    assert.equal((reportable.text().match(/報告対象<\/span>/g) ?? []).length, 2)
    const overdue = await client.get('/incidents?overdue=1').loginAs(officer)
    assert.lengthOf(overdue.text().match(/期限超過/g) ?? [], 2)
    assert.include(overdue.text(), '令和7年11月1日 9:00')
    assert.notInclude(overdue.text(), '令和7年12月1日 9:00')
    const byDeadline = await client.get('/incidents?sort=deadline&reportable=').loginAs(officer)
    const text = byDeadline.text()
    assert.isBelow(text.indexOf('令和7年11月1日 9:00'), text.indexOf('令和7年12月30日 9:00'))
  })

  test('the list pages by 50, keeping the filters in the page links', async ({
    client,
    assert,
  }) => {
    const { own, officer } = await scene()
    await IncidentReportFactory.merge({ contractId: own.id }).createMany(51)
    const first = await client.get('/incidents?reportable=no').loginAs(officer)
    first.assertTextIncludes('1 / 2 ページ')
    assert.include(first.text(), 'href="/incidents?reportable=no&amp;page=2" rel="next"')
    const second = await client.get('/incidents?reportable=no&page=2').loginAs(officer)
    second.assertTextIncludes('2 / 2 ページ')
    assert.lengthOf(second.text().match(/href="\/incidents\/\d+"/g) ?? [], 1)
  })
})

test.group(
  'Incidents: follow-up, reports to the Commission, notification of individuals',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('the contractor updates the follow-up; only ward staff write the ward’s instructions', async ({
      client,
      assert,
    }) => {
      const { own, staff, sankoUser } = await scene()
      const report = await fileIncident(sankoUser, own.id, '誤送信', { peopleAffected: 150 })
      // The same values as filed (a reportable case, so deadlines are recomputed) plus the follow-up.
      const edit = {
        ...form({ summary: '誤送信', peopleAffected: '150' }),
        discoveredAt: '2025-12-28T10:00',
        reportedToWardAt: '2025-12-28T12:00',
        kind: 'loss',
        occurredAt: '',
        cause: '',
      }

      await client
        .put(`/incidents/${report.id}`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form({
          ...edit,
          followUp: '誤送信先に削除を依頼し、削除の報告を受けた。',
          wardInstructions: '事業者が書いた指示',
        })
      await report.refresh()
      assert.equal(report.followUp, '誤送信先に削除を依頼し、削除の報告を受けた。')
      assert.isNull(report.wardInstructions)
      assert.deepEqual((await lastAudit('incident_report.update'))!.changedFieldList, ['followUp'])

      await client
        .put(`/incidents/${report.id}`)
        .loginAs(staff)
        .withCsrfToken()
        .form({
          ...edit,
          followUp: report.followUp,
          wardInstructions: '全件の送信先を再確認すること。',
        })
      await report.refresh()
      assert.equal(report.wardInstructions, '全件の送信先を再確認すること。')
      assert.deepEqual((await lastAudit('incident_report.update'))!.changedFieldList, [
        'wardInstructions',
      ])
    })

    test('changing the items of a report: the dropped, the renamed and the added one statement each', async ({
      client,
      assert,
    }) => {
      const { own, sankoUser, system, medical, ordinance } = await scene()
      const extra = await DataItemFactory.merge(
        Array.from({ length: 8 }, (_, index) => ({
          systemId: system.id,
          name: `連絡先${index + 1}`,
          sortOrder: index + 3,
        }))
      ).createMany(8)
      const report = await fileIncident(sankoUser, own.id, '誤送信', {
        dataItemIds: [medical.id, ...extra.map((item) => item.id)],
      })
      // The register renamed items since: the report takes the names as they are now.
      for (const item of [medical, ...extra.slice(0, 4)]) {
        item.name = `${item.name}（改）`
        await item.save()
      }

      const editing = await queriesDuring(async () => {
        const response = await client
          .put(`/incidents/${report.id}`)
          .loginAs(sankoUser)
          .withCsrfToken()
          .form({
            ...form({
              'summary': '誤送信',
              'dataItemIds[]': [
                medical.id,
                ...extra.slice(0, 4).map((item) => item.id),
                ordinance.id,
              ],
            }),
            discoveredAt: '2025-12-28T10:00',
            reportedToWardAt: '2025-12-28T12:00',
            kind: 'loss',
            occurredAt: '',
            cause: '',
          })
          .redirects(0)
        response.assertStatus(302)
      })
      assert.deepEqual(writesTo(editing, 'incident_report_items'), {
        insert: 1,
        update: 1,
        delete: 1,
      })
      const items = await IncidentReportItem.query()
        .where('incidentReportId', report.id)
        .orderBy('dataItemId')
      assert.deepEqual(
        items.map((item) => [item.dataItemId, item.name, item.specialCareCategory]),
        [
          [medical.id, '病歴（改）', 'medical_history'],
          [ordinance.id, '生活保護の受給状況', 'ordinance'],
          ...extra.slice(0, 4).map((item, index) => [item.id, `連絡先${index + 1}（改）`, null]),
        ]
      )
    })

    test('ward staff record the 速報 and the 確報; a contractor cannot', async ({
      client,
      assert,
    }) => {
      const { own, staff, sankoUser, medical } = await scene()
      const report = await fileIncident(sankoUser, own.id, '病歴を含む書類の紛失', {
        dataItemIds: [medical.id],
      })

      const response = await client
        .post(`/incidents/${report.id}/ppc-reports`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form({ ppcStage: 'preliminary', ppcSentAt: '2025-12-30T15:00' })
      response.assertStatus(403)
      const early = await client
        .post(`/incidents/${report.id}/ppc-reports`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ppcStage: 'preliminary', ppcSentAt: '2025-12-28T09:00' })
        .redirects(0)
      early.assertFlashMessage('errors', {
        ppcSentAt: ['提出日時は発見日時以降の日時を入力してください。'],
      })

      await client
        .post(`/incidents/${report.id}/ppc-reports`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ppcStage: 'preliminary', ppcSentAt: '2025-12-30T15:00' })
      await report.refresh()
      assert.equal(
        report.ppcPreliminarySentAt?.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
        '2025-12-30 15:00'
      )
      assert.equal(report.nextDueOn?.toISODate(), '2026-01-26')
      assert.deepEqual((await lastAudit('incident_report.ppc_preliminary'))!.changedFieldList, [
        'nextDueOn',
        'ppcPreliminarySentAt',
      ])
      const page = await client.get(`/incidents/${report.id}`).loginAs(sankoUser)
      page.assertTextIncludes('令和7年12月30日 15:00 提出')
      assert.notInclude(page.text(), 'ppc-reports')

      await client
        .post(`/incidents/${report.id}/ppc-reports`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ppcStage: 'final', ppcSentAt: '2026-01-20T10:00' })
      await report.refresh()
      assert.isNotNull(report.ppcFinalSentAt)
      assert.isNull(report.nextDueOn)
      const done = await client.get(`/incidents/${report.id}`).loginAs(staff)
      done.assertTextIncludes('令和8年1月20日 10:00 提出')
      assert.notInclude(done.text(), '期限超過')
    })

    test('a report that is not reportable cannot be recorded as sent', async ({
      client,
      assert,
    }) => {
      const { own, staff } = await scene()
      const report = await fileIncident(staff, own.id, '軽微な誤送付')
      const response = await client
        .post(`/incidents/${report.id}/ppc-reports`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ppcStage: 'preliminary', ppcSentAt: '2025-12-30T15:00' })
        .redirects(0)
      response.assertFlashMessage('errors', {
        ppcSentAt: ['報告対象の事態に該当しないため、委員会への報告は記録できません。'],
      })
      await report.refresh()
      assert.isNull(report.ppcPreliminarySentAt)
    })

    test('the notification of the individuals is recorded with date, time and method', async ({
      client,
      assert,
    }) => {
      const { own, sankoUser, staff } = await scene()
      const report = await fileIncident(sankoUser, own.id, '誤送付', { peopleAffected: 150 })
      const before = await client
        .post(`/incidents/${report.id}/notification`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form({ notifiedAt: '2025-12-27T14:30', notificationMethod: 'phone' })
        .redirects(0)
      before.assertFlashMessage('errors', {
        notifiedAt: ['通知日時は発見日時以降の日時を入力してください。'],
      })

      await client
        .post(`/incidents/${report.id}/notification`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form({
          notifiedAt: '2026-01-05T14:30',
          notificationMethod: 'phone',
          notificationNote: '150名全員に電話でお詫びと説明を行った。',
        })
      await report.refresh()
      assert.equal(
        report.individualsNotifiedAt?.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
        '2026-01-05 14:30'
      )
      assert.equal(report.notificationMethod, 'phone')
      const audit = (await lastAudit('incident_report.notify_individuals'))!
      assert.sameMembers(audit.changedFieldList, [
        'individualsNotifiedAt',
        'notificationMethod',
        'notificationNote',
      ])
      assert.notInclude(`${audit.changedFields}${audit.details}`, 'お詫び')

      const page = await client.get(`/incidents/${report.id}`).loginAs(staff)
      page.assertTextIncludes('令和8年1月5日 14:30')
      page.assertTextIncludes('（電話）')
      page.assertTextIncludes('150名全員に電話でお詫びと説明を行った。')
      // Reading a report is audited too.
      assert.equal((await lastAudit('incident_report.view'))!.subjectId, String(report.id))
    })
  }
)
