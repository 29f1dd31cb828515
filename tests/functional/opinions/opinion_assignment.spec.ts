import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import type User from '#models/user'
import OpinionDepartment from '#models/opinion_department'
import OpinionEvent from '#models/opinion_event'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit, openRecordingQueries } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

/** 広聴担当課 with two staff and a supervisor, an opinion forwarded to it and to 危機管理課. */
async function scene() {
  const people = await opinionScene()
  const { tree } = people
  const kochoStaff2 = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '広聴 二郎',
  }).create()
  const kakariStaff = await UserFactory.merge({
    departmentId: tree.kochoKakari.id,
    fullName: '広聴係 三郎',
  }).create()
  const opinion = await makeOpinion({ subject: '公園の遊具について', status: 'forwarded' }, [
    tree.kocho,
    tree.kikikanri,
  ])
  return { ...people, kochoStaff2, kakariStaff, opinion }
}

const forwardOf = (opinionId: number, departmentId: number) =>
  OpinionDepartment.query()
    .where('opinionId', opinionId)
    .where('departmentId', departmentId)
    .firstOrFail()

/** Opens `path` as `user`: the answer, and how often it read the accounts it may offer as 担当者. */
async function openCountingCandidateReads(client: ApiClient, path: string, user: User) {
  const { page, queries } = await openRecordingQueries(client, path, user)
  const candidateReads = queries.filter((sql) =>
    /from\s+["`]?users["`]?\s+where\s+["`]?department_id["`]?\s+in\b/i.test(sql)
  ).length
  return { page, candidateReads }
}

async function assigneeOf(opinionId: number, departmentId: number) {
  const forward = await forwardOf(opinionId, departmentId)
  return forward.assignedUserId
}

test.group('Opinions: the person in charge (担当者) of a forwarded department', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff name a colleague, then another: each change is a history entry and an audit entry', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, kochoStaff2, kochoSupervisor, opinion } = await scene()
    const assign = (assignedUserId: number) =>
      client
        .post(`/opinions/${opinion.id}/assignments`)
        .loginAs(kochoStaff)
        .withCsrfToken()
        .form({ departmentId: String(tree.kocho.id), assignedUserId: String(assignedUserId) })
        .redirects(0)

    const first = await assign(kochoStaff2.id)
    first.assertStatus(302)
    first.assertHeader('location', `/opinions/${opinion.id}`)
    assert.equal(await assigneeOf(opinion.id, tree.kocho.id), kochoStaff2.id)
    const named = await lastAudit('opinion.assign')
    assert.equal(named!.actorId, kochoStaff.id)
    assert.deepEqual(JSON.parse(named!.details!), {
      department: tree.kocho.id,
      from: null,
      to: kochoStaff2.id,
    })

    await assign(kochoSupervisor.id)
    const forward = await forwardOf(opinion.id, tree.kocho.id)
    assert.equal(forward.assignedUserId, kochoSupervisor.id)
    assert.isNotNull(forward.assignedAt)
    const renamed = await lastAudit('opinion.reassign')
    assert.deepEqual(JSON.parse(renamed!.details!), {
      department: tree.kocho.id,
      from: kochoStaff2.id,
      to: kochoSupervisor.id,
    })
    const events = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'assigned')
      .orderBy('id')
    assert.deepEqual(
      events.map((event) => [event.body, event.departmentId, event.userId]),
      [
        ['広聴 二郎', tree.kocho.id, kochoStaff.id],
        [kochoSupervisor.fullName, tree.kocho.id, kochoStaff.id],
      ]
    )

    // The page shows who is in charge, and the history the change.
    const page = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff2)
    page.assertTextIncludes(`担当者：${kochoSupervisor.fullName}`)
    page.assertTextIncludes('担当者を指定')
    page.assertTextIncludes('担当者を変更')
  })

  test('clearing the person in charge is recorded too; naming the same person again changes nothing', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, opinion } = await scene()
    const post = (fields: Record<string, string>) =>
      client
        .post(`/opinions/${opinion.id}/assignments`)
        .loginAs(kochoStaff)
        .withCsrfToken()
        .form({ departmentId: String(tree.kocho.id), ...fields })
        .redirects(0)
    await post({ assignedUserId: String(kochoStaff.id) })
    await post({ assignedUserId: String(kochoStaff.id) })
    await post({ assignedUserId: '' })
    assert.isNull(await assigneeOf(opinion.id, tree.kocho.id))
    const kinds = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .whereIn('kind', ['assigned', 'unassigned'])
      .orderBy('id')
    assert.deepEqual(
      kinds.map((event) => event.kind),
      ['assigned', 'unassigned']
    )
  })

  test('only a staff member or supervisor of that very department can be named', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, kikiStaff, kakariStaff, opinion } = await scene()
    const inactive = await UserFactory.apply('inactive')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const operatorOfKocho = await UserFactory.apply('operator')
      .merge({ departmentId: tree.kocho.id })
      .create()
    for (const candidate of [kikiStaff, kakariStaff, inactive, operatorOfKocho]) {
      const refused = await client
        .post(`/opinions/${opinion.id}/assignments`)
        .loginAs(kochoStaff)
        .withCsrfToken()
        .header('referer', `/opinions/${opinion.id}`)
        .form({ departmentId: String(tree.kocho.id), assignedUserId: String(candidate.id) })
        .redirects(0)
      refused.assertFlashMessage('errors', {
        assignedUserId: ['担当者は、転送先の所属の職員・上位者から選んでください。'],
      })
    }
    const json = await client
      .post(`/opinions/${opinion.id}/assignments`)
      .loginAs(kochoStaff)
      .withCsrfToken()
      .header('accept', 'application/json')
      .form({ departmentId: String(tree.kocho.id), assignedUserId: '999999' })
      .redirects(0)
    json.assertStatus(422)
    assert.isNull(await assigneeOf(opinion.id, tree.kocho.id))
    assert.isNull(await lastAudit('opinion.assign'))
  })

  test('the page offers a department its own staff as 担当者; the opinion office, which names nobody, reads none', async ({
    client,
    assert,
  }) => {
    const { operator, kochoStaff, opinion } = await scene()
    const staff = await openCountingCandidateReads(client, `/opinions/${opinion.id}`, kochoStaff)
    staff.page.assertStatus(200)
    staff.page.assertTextIncludes('name="assignedUserId"')
    staff.page.assertTextIncludes('広聴 二郎')
    assert.equal(staff.candidateReads, 1)

    const office = await openCountingCandidateReads(client, `/opinions/${opinion.id}`, operator)
    office.page.assertStatus(200)
    office.page.assertTextIncludes('公園の遊具について')
    assert.notInclude(office.page.text(), 'name="assignedUserId"')
    assert.equal(office.candidateReads, 0)
  })

  test('another department, the opinion office and a contractor may not name anyone for 広聴担当課', async ({
    client,
    assert,
  }) => {
    const { tree, kikiStaff, operator, contractor, kochoStaff, opinion } = await scene()
    for (const user of [kikiStaff, operator, contractor]) {
      const response = await client
        .post(`/opinions/${opinion.id}/assignments`)
        .loginAs(user)
        .withCsrfToken()
        .form({ departmentId: String(tree.kocho.id), assignedUserId: String(kochoStaff.id) })
        .redirects(0)
      response.assertStatus(403)
    }
    // 危機管理課 names its own person for its own forward.
    const own = await client
      .post(`/opinions/${opinion.id}/assignments`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ departmentId: String(tree.kikikanri.id), assignedUserId: String(kikiStaff.id) })
      .redirects(0)
    own.assertStatus(302)
    assert.isNull(await assigneeOf(opinion.id, tree.kocho.id))
    assert.equal(await assigneeOf(opinion.id, tree.kikikanri.id), kikiStaff.id)
    // A closed opinion has nobody to name.
    opinion.status = 'closed'
    await opinion.save()
    const closed = await client
      .post(`/opinions/${opinion.id}/assignments`)
      .loginAs(kikiStaff)
      .withCsrfToken()
      .form({ departmentId: String(tree.kikikanri.id), assignedUserId: '' })
      .redirects(0)
    closed.assertStatus(403)
  })
})

test.group(
  'Opinions: the list filtered to "mine" (自分の担当) and to unhandled forwards',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('自分の担当 lists the opinions whose forward names the user; 未対応 those not handled yet', async ({
      client,
      assert,
    }) => {
      const { tree, kochoStaff, kochoStaff2, kikiStaff, opinion } = await scene()
      const theirs = await makeOpinion({ subject: '同僚が担当する意見', status: 'forwarded' }, [
        tree.kocho,
      ])
      const done = await makeOpinion({ subject: '担当して処理済みの意見', status: 'forwarded' }, [
        tree.kocho,
      ])
      await OpinionDepartment.query()
        .where('opinionId', opinion.id)
        .where('departmentId', tree.kocho.id)
        .update({ assignedUserId: kochoStaff.id })
      await OpinionDepartment.query()
        .where('opinionId', theirs.id)
        .update({ assignedUserId: kochoStaff2.id })
      await OpinionDepartment.query()
        .where('opinionId', done.id)
        .update({ assignedUserId: kochoStaff.id, handlingStatus: 'handled' })

      const mine = await client.get('/opinions').qs({ assignee: 'me' }).loginAs(kochoStaff)
      mine.assertTextIncludes('公園の遊具について')
      mine.assertTextIncludes('担当して処理済みの意見')
      assert.notInclude(mine.text(), '同僚が担当する意見')

      const minePending = await client
        .get('/opinions')
        .qs({ assignee: 'me', handling: 'pending' })
        .loginAs(kochoStaff)
      minePending.assertTextIncludes('公園の遊具について')
      assert.notInclude(minePending.text(), '担当して処理済みの意見')
      assert.notInclude(minePending.text(), '同僚が担当する意見')
      minePending.assertTextIncludes('<option value="me" selected>自分の担当</option>')

      const pending = await client.get('/opinions').qs({ handling: 'pending' }).loginAs(kochoStaff2)
      pending.assertTextIncludes('公園の遊具について')
      pending.assertTextIncludes('同僚が担当する意見')
      assert.notInclude(pending.text(), '担当して処理済みの意見')

      // 危機管理課 named nobody: its staff have nothing of their own.
      const other = await client.get('/opinions').qs({ assignee: 'me' }).loginAs(kikiStaff)
      other.assertTextIncludes('該当する意見等はありません。')
      assert.equal(mine.status(), 200)
    })
  }
)
