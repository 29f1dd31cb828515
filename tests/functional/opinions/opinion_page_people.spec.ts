import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import OpinionAttachment from '#models/opinion_attachment'
import OpinionDepartment from '#models/opinion_department'
import OpinionEvent from '#models/opinion_event'
import { UserFactory } from '#database/factories/user_factory'
import OpinionQueries from '#services/opinions/opinion_queries'
import { queriesDuring } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const readsOfUsers = (queries: string[]) =>
  queries.filter((sql) => /\bfrom\s+["`]?users["`]?/i.test(sql))

test.group('Opinions: the people the opinion page names', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the 担当者, who wrote each history entry and who attached each file are named from one read of users', async ({
    client,
    assert,
  }) => {
    const { tree, operator, kochoStaff } = await opinionScene()
    const assignee = await UserFactory.merge({
      departmentId: tree.kocho.id,
      fullName: '担当 花子',
    }).create()
    const uploader = await UserFactory.merge({
      departmentId: tree.kocho.id,
      fullName: '添付 次郎',
    }).create()
    const opinion = await makeOpinion({ subject: '街路灯の故障' }, [tree.kocho])
    await OpinionDepartment.query()
      .where('opinionId', opinion.id)
      .update({ assignedUserId: assignee.id })
    await OpinionEvent.create({
      opinionId: opinion.id,
      kind: 'note',
      departmentId: tree.kocho.id,
      userId: kochoStaff.id,
      body: '現地を確認しました。',
      occurredAt: DateTime.now(),
    })
    await OpinionAttachment.create({
      opinionId: opinion.id,
      kind: 'letter',
      storageKey: 'opinion-attachments/people.bin',
      fileKey: 'unused: the page does not open the file',
      originalName: '手紙.pdf',
      contentType: 'application/pdf',
      size: 10,
      uploadedByUserId: uploader.id,
    })

    const loaded = await OpinionQueries.forPage(opinion.id)
    let attachments: OpinionAttachment[] = []
    const queries = await queriesDuring(async () => {
      attachments = await OpinionQueries.attachmentsAndPeople(loaded)
    })
    assert.lengthOf(readsOfUsers(queries), 1)
    assert.equal(loaded.assignments[0].assignee?.fullName, '担当 花子')
    const note = loaded.events.find((event) => event.kind === 'note')!
    assert.equal(note.user?.fullName, kochoStaff.fullName)
    assert.equal(attachments[0].uploadedBy?.fullName, '添付 次郎')
    // Names only: nothing else of the account is read for the page.
    assert.isUndefined(attachments[0].uploadedBy?.email)

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    page.assertStatus(200)
    page.assertTextIncludes('担当者：担当 花子')
    page.assertTextIncludes(`・${kochoStaff.fullName}`)
    page.assertTextIncludes('・添付 次郎')
  })

  test('an opinion that names nobody reads no users at all', async ({ client, assert }) => {
    const { tree, operator } = await opinionScene()
    const opinion = await makeOpinion({ subject: '図書館の開館時間' }, [tree.kocho])
    await OpinionEvent.query().where('opinionId', opinion.id).update({ userId: null })

    const loaded = await OpinionQueries.forPage(opinion.id)
    const queries = await queriesDuring(() => OpinionQueries.attachmentsAndPeople(loaded))
    assert.deepEqual(readsOfUsers(queries), [])
    assert.isNull(loaded.assignments[0].assignee)

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    page.assertStatus(200)
    page.assertTextIncludes('担当者：未定')
  })
})
