import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import Department from '#models/department'
import OpinionEvent from '#models/opinion_event'
import DepartmentDirectory from '#services/department_directory'
import { DepartmentFactory } from '#database/factories/department_factory'
import { UserFactory } from '#database/factories/user_factory'
import { openRecordingQueries } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const readsDepartments = (sql: string) => /\bfrom\s+["`]?departments["`]?/i.test(sql)

test.group('Department directory: one read of the organisation per request', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the opinion page reads the departments once and names the lead, forwarded and history departments', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff } = await opinionScene()
    const opinion = await makeOpinion({ subject: '公園の遊具について' }, [
      tree.kocho,
      tree.kikikanri,
    ])
    await OpinionEvent.create({
      opinionId: opinion.id,
      kind: 'note',
      departmentId: tree.kochoKakari.id,
      userId: kochoStaff.id,
      body: '現地を確認する',
      occurredAt: DateTime.now(),
    })

    const { page, queries } = await openRecordingQueries(
      client,
      `/opinions/${opinion.id}`,
      kochoStaff
    )
    page.assertStatus(200)
    const html = page.text()
    // Lead department (key-value row), both forwarded departments, the history entry's department.
    assert.include(html, '広聴担当課')
    assert.include(html, '危機管理課')
    assert.include(html, '・広聴係')
    // …and who wrote the entry.
    assert.include(html, `・${kochoStaff.fullName}`)
    // The forwarding form offers 課 and 係, never a 部.
    assert.match(html, /<option value="\d+"[^>]*>危機管理課<\/option>/)
    assert.notMatch(html, /<option value="\d+"[^>]*>区長室<\/option>/)
    assert.lengthOf(queries.filter(readsDepartments), 1, queries.join('\n'))
  })

  test('a department filter of the list and of the statistics reads the departments once too', async ({
    client,
    assert,
  }) => {
    const { tree, kochoStaff, operator } = await opinionScene()
    await makeOpinion({ subject: '公園の遊具について' }, [tree.kocho])
    const pages = [
      { path: `/opinions?departmentId=${tree.kocho.id}`, shows: '公園の遊具について' },
      { path: `/opinion-statistics?departmentId=${tree.kocho.id}`, shows: '広聴担当課' },
    ]
    for (const user of [kochoStaff, operator]) {
      for (const { path, shows } of pages) {
        const { page, queries } = await openRecordingQueries(client, path, user)
        page.assertStatus(200)
        assert.include(page.text(), shows, path)
        assert.lengthOf(queries.filter(readsDepartments), 1, `${user.role} ${path}`)
      }
    }
  })

  test('forms and filters that offer the organisation read the departments once', async ({
    client,
    assert,
  }) => {
    const { kochoStaff } = await opinionScene()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const admin = await UserFactory.apply('admin').create()
    const pages = [
      { user: kochoStaff, path: '/canned-texts' },
      { user: kochoStaff, path: '/canned-texts/create' },
      { user: kochoStaff, path: '/systems' },
      { user: kochoStaff, path: '/systems/create' },
      { user: kochoStaff, path: '/faq-entries/create' },
      { user: kochoStaff, path: '/oversight' },
      { user: officer, path: '/oversight' },
      { user: officer, path: '/departments' },
      { user: admin, path: '/admin/users/create' },
      { user: admin, path: '/admin/departments/create' },
    ]
    for (const { user, path } of pages) {
      const { page, queries } = await openRecordingQueries(client, path, user)
      page.assertStatus(200)
      // The organisation is offered in tree order, 課 under their 部.
      assert.match(page.text(), /広聴担当課/, path)
      assert.lengthOf(queries.filter(readsDepartments), 1, `${user.role} ${path}`)
    }
  })

  test('a renamed department shows its new name on the next page', async ({ client, assert }) => {
    const { tree, kochoStaff } = await opinionScene()
    const opinion = await makeOpinion({ subject: '図書館の開館時間' }, [tree.kocho])
    const before = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
    before.assertTextIncludes('広聴担当課')
    await Department.query().where('id', tree.kocho.id).update({ name: '広聴課' })
    const after = await client.get(`/opinions/${opinion.id}`).loginAs(kochoStaff)
    after.assertStatus(200)
    after.assertTextIncludes('広聴課')
    assert.notInclude(after.text(), '広聴担当課')
  })

  test('outside a request each load reads afresh; tree and choices keep the organisation order', async ({
    assert,
  }) => {
    const bu = await DepartmentFactory.apply('bu')
      .merge({ code: 'd-bu', name: '総務部', sortOrder: 5 })
      .create()
    // Same sort order: the tree orders by code, the choices by id (as before).
    const second = await DepartmentFactory.merge({
      code: 'd-2',
      name: '第二課',
      parentId: bu.id,
      sortOrder: 1,
    }).create()
    const first = await DepartmentFactory.merge({
      code: 'd-1',
      name: '第一課',
      parentId: bu.id,
      sortOrder: 1,
    }).create()
    const kakari = await DepartmentFactory.merge({
      code: 'd-1-1',
      name: '第一係',
      level: 'kakari',
      parentId: first.id,
      sortOrder: 0,
    }).create()

    const directory = await DepartmentDirectory.load()
    assert.sameMembers(directory.subtreeIds(bu.id), [bu.id, second.id, first.id, kakari.id])
    assert.deepEqual(directory.subtreeIds(first.id), [first.id, kakari.id])
    assert.equal(directory.find(kakari.id)?.name, '第一係')
    assert.deepEqual(directory.chainIds(kakari.id), [kakari.id, first.id, bu.id])
    assert.deepEqual(directory.chainIds(bu.id), [bu.id])
    assert.isNull(directory.find(null))

    const ours = new Set([bu.id, first.id, second.id, kakari.id])
    // Siblings of one sort order by code: 第一課 (d-1) with its 係 before 第二課 (d-2).
    const expectedTree = [
      [bu.id, 0],
      [first.id, 1],
      [kakari.id, 2],
      [second.id, 1],
    ]
    assert.deepEqual(
      directory
        .tree()
        .filter(({ department }) => ours.has(department.id))
        .map(({ department, depth }) => [department.id, depth]),
      expectedTree
    )
    const expectedChoices = await Department.query()
      .whereNot('level', 'bu')
      .orderBy('sortOrder')
      .orderBy('id')
    assert.deepEqual(
      directory.units(),
      expectedChoices.map(({ id, name }) => ({ id, name }))
    )
    assert.notInclude(
      directory.units().map(({ id }) => id),
      bu.id
    )

    const added = await DepartmentFactory.merge({
      code: 'd-3',
      name: '第三課',
      parentId: bu.id,
    }).create()
    const again = await DepartmentDirectory.load()
    assert.include(again.subtreeIds(bu.id), added.id)
    assert.notInclude(directory.subtreeIds(bu.id), added.id)
  })
})
