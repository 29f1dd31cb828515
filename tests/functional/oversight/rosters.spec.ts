import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import HandlerRoster from '#models/handler_roster'
import OversightDuty from '#models/oversight_duty'
import AuditLog from '#models/audit_log'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit, queriesDuring, writesTo } from '#tests/helpers'
import { makeContract, makeSystem, termsAllowingSubcontracts } from '#tests/register_helpers'

/**
 * 広聴担当課's system; a contract of 三幸 that asks for a roster, its
 * subcontract to 丙, and a contract of another contractor; their users and
 * ward staff inside and outside the department.
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
  // Seed 000's set forbids subcontracting (issue 13): the same set allowing it with the ward's written approval.
  const terms = await termsAllowingSubcontracts()
  const system = await makeSystem(officer, tree.kocho.id)
  const measures = ['取扱責任者及び取扱者をあらかじめ指定する。']
  const own = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'コールセンター業務委託',
    specialTermSetId: terms.id,
    startsOn: new Date('2026-04-01'),
    contractorMeasuresOperational: measures,
  })
  const sub = await makeContract(
    officer,
    system,
    { contractorId: hei.id, title: '入力業務の再委託', contractorMeasuresOperational: measures },
    own
  )
  const others = await makeContract(officer, system, {
    contractorId: mail.id,
    title: 'メール配信業務委託',
    contractorMeasuresOperational: measures,
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const mailUser = await UserFactory.apply('contractor').merge({ contractorId: mail.id }).create()
  const heiUser = await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()
  return { officer, staff, otherStaff, own, sub, others, sankoUser, mailUser, heiUser }
}

/** The roster form as a browser sends it. */
const rosterForm = (rows: Array<[string, string, string, string]>, notes = '') => {
  const fields: Record<string, string> = { notes }
  rows.forEach(([kind, fullName, role, trainedOn], index) => {
    Object.assign(fields, {
      [`members[${index}][memberKind]`]: kind,
      [`members[${index}][fullName]`]: fullName,
      [`members[${index}][role]`]: role,
      [`members[${index}][trainedOn]`]: trainedOn,
    })
  })
  return fields
}

const FIRST: Array<[string, string, string, string]> = [
  ['responsible', '山田 太郎', 'センター長', '2026-04-10'],
  ['handler', '佐藤 花子', 'オペレーター', '2026-04-10'],
  ['handler', '鈴木 一郎', 'オペレーター', ''],
  ['handler', '', '', ''],
]

test.group('Handler rosters', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the contractor submits a version; the audit log has field names only', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser } = await scene()
    const response = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm(FIRST, '初回提出'))
      .redirects(0)
    response.assertStatus(302)
    const roster = await HandlerRoster.query()
      .where('contractId', own.id)
      .preload('members', (m) => m.orderBy('sortOrder'))
      .firstOrFail()
    assert.equal(roster.version, 1)
    assert.isNull(roster.acknowledgedOn)
    assert.deepEqual(
      roster.members.map((m) => [m.kind, m.name, m.role, m.trainedOn?.toISODate() ?? null]),
      [
        ['responsible', '山田 太郎', 'センター長', '2026-04-10'],
        ['handler', '佐藤 花子', 'オペレーター', '2026-04-10'],
        ['handler', '鈴木 一郎', 'オペレーター', null],
      ]
    )
    response.assertHeader('location', `/rosters/${roster.id}`)

    const entry = await lastAudit('handler_roster.submit')
    assert.equal(entry?.subjectId, String(roster.id))
    const raw = JSON.stringify(await AuditLog.query().where('action', 'handler_roster.submit'))
    assert.include(entry!.changedFields!, 'members.name')
    assert.notInclude(raw, '山田')
    assert.notInclude(raw, 'センター長')

    const page = await client.get(`/rosters/${roster.id}`).loginAs(sankoUser)
    page.assertStatus(200)
    page.assertTextIncludes('第1版')
    page.assertTextIncludes('山田 太郎')
    page.assertTextIncludes('受理待ち')
  })

  test('a roster of 300 members is stored in order with one INSERT', async ({ client, assert }) => {
    const { own, sankoUser } = await scene()
    const rows: Array<[string, string, string, string]> = Array.from(
      { length: 300 },
      (_, index) => [
        index === 0 ? 'responsible' : 'handler',
        `取扱者 ${index + 1}`,
        index % 2 ? 'オペレーター' : '',
        index % 3 ? '' : '2026-04-10',
      ]
    )
    const queries = await queriesDuring(async () => {
      const response = await client
        .post(`/contracts/${own.id}/rosters`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form(rosterForm(rows))
        .redirects(0)
      response.assertStatus(302)
    })
    assert.deepEqual(writesTo(queries, 'roster_members'), { insert: 1, update: 0, delete: 0 })
    const roster = await HandlerRoster.query()
      .where('contractId', own.id)
      .preload('members', (m) => m.orderBy('sortOrder'))
      .firstOrFail()
    assert.deepEqual(
      roster.members.map((m) => [m.kind, m.name, m.role, m.trainedOn?.toISODate() ?? null]),
      rows.map(([kind, name, role, trainedOn]) => [kind, name, role || null, trainedOn || null])
    )
  })

  test('the first acknowledged version satisfies the roster duty and becomes current', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser, staff } = await scene()
    await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm(FIRST))
    const first = await HandlerRoster.findByOrFail('contractId', own.id)
    let duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'roster')
      .firstOrFail()
    // Submitted: 提出済・確認待ち until the ward acknowledges it.
    assert.equal(duty.state, 'submitted')
    assert.equal(duty.evidenceId, first.id)

    // The contractor cannot acknowledge its own roster.
    const response = await client
      .post(`/rosters/${first.id}/acknowledge`)
      .loginAs(sankoUser)
      .withCsrfToken()
    response.assertStatus(403)
    await client.post(`/rosters/${first.id}/acknowledge`).loginAs(staff).withCsrfToken()
    await first.refresh()
    assert.isNotNull(first.acknowledgedOn)
    assert.equal(first.acknowledgedByUserId, staff.id)
    duty = await OversightDuty.query()
      .where('contractId', own.id)
      .where('kind', 'roster')
      .firstOrFail()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceType, 'handler_roster')
    assert.equal(duty.evidenceId, first.id)
    assert.isNotNull(await lastAudit('handler_roster.acknowledge'))

    // A second version starts from the first one's members and stays pending until acknowledged.
    const form = await client.get(`/contracts/${own.id}/rosters/create`).loginAs(sankoUser)
    form.assertTextIncludes('第1版の内容を初期値として表示しています')
    form.assertTextIncludes('value="佐藤 花子"')
    await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(
        rosterForm(
          [
            ['responsible', '山田 太郎', 'センター長', '2026-04-10'],
            ['handler', '高橋 次郎', 'オペレーター', '2026-10-01'],
          ],
          '人事異動による変更'
        )
      )
    const second = await HandlerRoster.query()
      .where('contractId', own.id)
      .where('version', 2)
      .firstOrFail()
    const currentFirst = await HandlerRoster.current(own.id)
    assert.equal(currentFirst?.id, first.id)
    const list = await client.get(`/contracts/${own.id}/rosters`).loginAs(staff)
    list.assertTextIncludes('第2版')
    list.assertTextIncludes('受理待ち')

    await client.post(`/rosters/${second.id}/acknowledge`).loginAs(staff).withCsrfToken()
    const currentSecond = await HandlerRoster.current(own.id)
    assert.equal(currentSecond?.id, second.id)
    // The duty keeps its first evidence.
    await duty.refresh()
    assert.equal(duty.evidenceId, first.id)
  })

  test('a roster needs a responsible person and a handler, and a name in every used row', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser } = await scene()
    const noHandler = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm([['responsible', '山田 太郎', '', '']]))
      .redirects(0)
    noHandler.assertFlashMessage('errors', { members: ['取扱者を1名以上入力してください。'] })
    const noName = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(
        rosterForm([
          ['responsible', '山田 太郎', '', ''],
          ['handler', '', 'オペレーター', ''],
        ])
      )
      .redirects(0)
    noName.assertFlashMessage('errors', { members: ['氏名が入力されていない行があります。'] })
    const badDate = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(
        rosterForm([
          ['responsible', '山田 太郎', '', 'いつか'],
          ['handler', '佐藤 花子', '', ''],
        ])
      )
      .redirects(0)
    badDate.assertStatus(302)
    assert.match(JSON.stringify(badDate.flashMessages()), /日付で入力してください/)
    assert.lengthOf(await HandlerRoster.all(), 0)

    // The errors are shown on the form in Japanese.
    const page = await client
      .get(`/contracts/${own.id}/rosters/create`)
      .loginAs(sankoUser)
      .withSession({ __flash__: { errors: { members: ['取扱者を1名以上入力してください。'] } } })
    page.assertTextIncludes('取扱者を1名以上入力してください。')
  })

  test('the error summary names the roster row of a message', async ({ client }) => {
    const { own, sankoUser } = await scene()
    const page = await client
      .get(`/contracts/${own.id}/rosters/create`)
      .loginAs(sankoUser)
      .withSession({
        __flash__: { errors: { 'members.1.fullName': ['氏名を入力してください。'] } },
      })
    page.assertTextIncludes('2人目：氏名を入力してください。')
    page.assertTextIncludes('href="#field-members-1-fullName"')
  })

  test('a JSON client gets the refusal as 422 with the Japanese message on the field, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { own, sankoUser } = await scene()
    const response = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ members: [{ memberKind: 'responsible', fullName: '山田 太郎' }] })
    response.assertStatus(422)
    assert.deepEqual(response.body(), {
      errors: [
        {
          field: 'members',
          message: '取扱者を1名以上入力してください。',
          code: 'portal.errors.handler_required',
        },
      ],
    })
    assert.lengthOf(await HandlerRoster.all(), 0)
  })

  test('only the contractor submits, only the department or the privacy office acknowledges', async ({
    client,
    assert,
  }) => {
    const { own, sub, staff, otherStaff, officer, sankoUser, heiUser } = await scene()
    const staffCreate = await client.get(`/contracts/${own.id}/rosters/create`).loginAs(staff)
    staffCreate.assertStatus(403)
    const staffRostersPost = await client
      .post(`/contracts/${own.id}/rosters`)
      .loginAs(staff)
      .withCsrfToken()
      .form(rosterForm(FIRST))
    staffRostersPost.assertStatus(403)

    // 丙 submits for its subcontract; 乙 sees it.
    await client
      .post(`/contracts/${sub.id}/rosters`)
      .loginAs(heiUser)
      .withCsrfToken()
      .form(rosterForm(FIRST))
    const roster = await HandlerRoster.findByOrFail('contractId', sub.id)
    const sankoUserRoster = await client.get(`/rosters/${roster.id}`).loginAs(sankoUser)
    sankoUserRoster.assertStatus(200)
    const heiUserRosters = await client.get(`/contracts/${sub.id}/rosters`).loginAs(heiUser)
    heiUserRosters.assertStatus(200)

    const otherStaffRoster = await client.get(`/rosters/${roster.id}`).loginAs(otherStaff)
    otherStaffRoster.assertStatus(403)
    const otherStaffAcknowledgePost = await client
      .post(`/rosters/${roster.id}/acknowledge`)
      .loginAs(otherStaff)
      .withCsrfToken()
    otherStaffAcknowledgePost.assertStatus(403)
    const heiUserAcknowledgePost = await client
      .post(`/rosters/${roster.id}/acknowledge`)
      .loginAs(heiUser)
      .withCsrfToken()
    heiUserAcknowledgePost.assertStatus(403)
    const page = await client.get(`/rosters/${roster.id}`).loginAs(officer)
    page.assertTextIncludes('この版を受理する')
    await client.post(`/rosters/${roster.id}/acknowledge`).loginAs(officer).withCsrfToken()
    await roster.refresh()
    assert.equal(roster.acknowledgedByUserId, officer.id)
  })
})
