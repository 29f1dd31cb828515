import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import Clock, { FixedClock } from '#services/clock'
import DepartmentApprover from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, lastAudit, openRecordingQueries } from '#tests/helpers'

async function scene() {
  const tree = await departmentTree()
  const admin = await UserFactory.apply('admin').create()
  const supervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '課長 次郎' })
    .create()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '係長 三郎',
  }).create()
  const outsider = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kikikanri.id, fullName: '課長 五郎' })
    .create()
  return { tree, admin, supervisor, staff, outsider }
}

test.group('Approvers: the administration page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => app.container.restore(Clock))

  test('the administrator names an approver and an acting approver and records an absence', async ({
    client,
    assert,
  }) => {
    const { tree, admin, supervisor, staff } = await scene()
    const url = `/admin/departments/${tree.kocho.id}/approvers`
    const { page: before, queries } = await openRecordingQueries(client, url, admin)
    before.assertStatus(200)
    // Nobody named: the department's supervisors approve meanwhile.
    before.assertTextIncludes('承認者が指定されていません。')
    before.assertTextIncludes('課長 次郎')
    // The organisation (who approves meanwhile, who may be named) is read once.
    const organisationReads = queries.filter((sql) =>
      /^select .* from [`"]?departments[`"]? order by/.test(sql)
    )
    assert.lengthOf(organisationReads, 1)
    // The department's approver rows (none yet) are read once, not again for who approves meanwhile.
    assert.lengthOf(
      queries.filter((sql) => /^select \* from [`"]?department_approvers[`"]?/.test(sql)),
      1
    )

    const name = async (user: typeof staff, capacity: 'approver' | 'acting') => {
      const added = await client
        .post(url)
        .loginAs(admin)
        .withCsrfToken()
        .form({ userId: String(user.id), capacity })
        .redirects(0)
      added.assertStatus(302)
      added.assertHeader('location', url)
    }
    // An acting approver alone: the supervisors still approve meanwhile; the named rows and
    // their people are read once for the list and for who approves meanwhile.
    await name(staff, 'acting')
    const { page: actingOnly, queries: actingReads } = await openRecordingQueries(
      client,
      url,
      admin
    )
    actingOnly.assertTextIncludes('承認者が指定されていません。')
    actingOnly.assertTextIncludes('課長 次郎')
    actingOnly.assertTextIncludes('係長 三郎')
    assert.lengthOf(
      actingReads.filter((sql) => /^select \* from [`"]?department_approvers[`"]?/.test(sql)),
      1
    )
    assert.lengthOf(
      actingReads.filter((sql) =>
        /^select \* from [`"]?users[`"]? where [`"]?id[`"]? in/.test(sql)
      ),
      1
    )

    await name(supervisor, 'approver')
    const rows = await DepartmentApprover.query().where('departmentId', tree.kocho.id).orderBy('id')
    assert.deepEqual(
      rows.map((row) => [row.userId, row.capacity]),
      [
        [staff.id, 'acting'],
        [supervisor.id, 'approver'],
      ]
    )
    const audit = await lastAudit('department.approver_add')
    assert.equal(audit?.subjectId, String(tree.kocho.id))

    const absence = await client
      .post(`/admin/departments/${tree.kocho.id}/absences`)
      .loginAs(admin)
      .withCsrfToken()
      .form({
        absentUserId: String(supervisor.id),
        startsOn: '2026-11-09',
        endsOn: '2026-11-13',
        note: '出張',
      })
      .redirects(0)
    absence.assertStatus(302)
    const recorded = await UserAbsence.findByOrFail('userId', supervisor.id)
    assert.equal(recorded.startsOn.toISODate(), '2026-11-09')
    assert.equal(recorded.endsOn.toISODate(), '2026-11-13')

    // Seen on 2026-11-10: the approver is away now.
    app.container.swap(
      Clock,
      () => new FixedClock(DateTime.fromISO('2026-11-10T10:00', { zone: 'Asia/Tokyo' }))
    )
    await UserFactory.merge({ departmentId: tree.kocho.id, fullName: '主任 六郎' }).create()
    const { page, queries: named } = await openRecordingQueries(client, url, admin)
    page.assertTextIncludes('不在中')
    page.assertTextIncludes('代理承認者')
    page.assertTextIncludes('係長 三郎')
    page.assertTextIncludes('令和8年11月9日〜令和8年11月13日（出張）')
    // With an approver named, who would approve meanwhile is not worked out; the departments
    // of the named people and of those who may be named are read together.
    page.assertTextIncludes('<td>広聴担当課</td>')
    page.assertTextIncludes('主任 六郎（広聴担当課・')
    const reads = (pattern: RegExp) => named.filter((sql) => pattern.test(sql))
    assert.lengthOf(reads(/^select \* from [`"]?department_approvers[`"]?/), 1)
    assert.lengthOf(reads(/^select \* from [`"]?departments[`"]? where [`"]?id[`"]? in/), 1)

    const cancelled = await client
      .delete(`/admin/departments/${tree.kocho.id}/absences/${recorded.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    cancelled.assertStatus(302)
    assert.isNull(await UserAbsence.find(recorded.id))
    const removed = await client
      .delete(`/admin/departments/${tree.kocho.id}/approvers/${rows[1].id}`)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    removed.assertStatus(302)
    assert.isNull(await DepartmentApprover.find(rows[1].id))
  })

  test('refusals: someone outside the department, twice the same person, an end before the start, bad input; other roles get no page', async ({
    client,
    assert,
  }) => {
    const { tree, admin, supervisor, outsider } = await scene()
    const url = `/admin/departments/${tree.kocho.id}/approvers`
    const post = (path: string, form: Record<string, string>) =>
      client.post(path).loginAs(admin).withCsrfToken().form(form).redirects(0)

    const foreign = await post(url, { userId: String(outsider.id), capacity: 'approver' })
    foreign.assertFlashMessage('errors', {
      userId: ['この所属または上位の所属の職員・上位者を選んでください。'],
    })
    await post(url, { userId: String(supervisor.id), capacity: 'approver' })
    const twice = await post(url, { userId: String(supervisor.id), capacity: 'acting' })
    twice.assertFlashMessage('errors', { userId: ['この職員はすでに指定されています。'] })
    const badCapacity = await post(url, { userId: String(supervisor.id), capacity: 'boss' })
    badCapacity.assertStatus(302)
    badCapacity.assertFlashMessage('errors', { capacity: ['区分の選択が正しくありません'] })
    const badId = await post(url, { userId: '0.5', capacity: 'approver' })
    badId.assertStatus(302)
    assert.lengthOf(await DepartmentApprover.query().where('departmentId', tree.kocho.id), 1)

    const backwards = await post(`/admin/departments/${tree.kocho.id}/absences`, {
      absentUserId: String(supervisor.id),
      startsOn: '2026-11-13',
      endsOn: '2026-11-09',
    })
    backwards.assertFlashMessage('errors', {
      endsOn: ['終了日は開始日以降の日付にしてください。'],
    })
    await post(`/admin/departments/${tree.kocho.id}/absences`, {
      absentUserId: String(supervisor.id),
      startsOn: '2026-11-09',
      endsOn: '2026-11-13',
    })
    const overlapping = await post(`/admin/departments/${tree.kocho.id}/absences`, {
      absentUserId: String(supervisor.id),
      startsOn: '2026-11-13',
      endsOn: '2026-11-20',
    })
    overlapping.assertFlashMessage('errors', {
      startsOn: ['この期間と重なる不在期間がすでに登録されています。'],
    })
    const noDates = await post(`/admin/departments/${tree.kocho.id}/absences`, {
      absentUserId: String(supervisor.id),
      startsOn: '',
      endsOn: '2026-13-40',
      note: '研修',
    })
    noDates.assertFlashMessage('errors', {
      startsOn: ['開始日を入力してください'],
      endsOn: ['終了日は日付で入力してください'],
    })
    noDates.assertFlashMessage('note', '研修')
    const notNamed = await post(`/admin/departments/${tree.kocho.id}/absences`, {
      absentUserId: String(outsider.id),
      startsOn: '2026-11-09',
      endsOn: '2026-11-09',
    })
    notNamed.assertFlashMessage('errors', {
      absentUserId: ['承認者・代理承認者として指定されている職員を選んでください。'],
    })
    assert.lengthOf(await UserAbsence.all(), 1)

    const page = await client.get(url).loginAs(supervisor)
    page.assertStatus(403)
    const otherDepartmentsRow = await client
      .delete(`/admin/departments/${tree.kikikanri.id}/approvers/1`)
      .loginAs(admin)
      .withCsrfToken()
    otherDepartmentsRow.assertStatus(404)
  })
})
