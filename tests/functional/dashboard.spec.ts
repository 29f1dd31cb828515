import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, openRecordingQueries } from '#tests/helpers'

/** Reads of the account's 所属 or 委託事業者 by an empty key (`where "id" is null`). */
const readsByEmptyKey = (queries: string[]) =>
  queries.filter((sql) =>
    /from\s+["`]?(departments|contractors)["`]?\s+where\s+["`]?id["`]?\s+is\s+null/i.test(sql)
  )

test.group('Dashboard: the account panel', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('staff see their 所属, a contractor its company; an account with neither reads neither', async ({
    client,
    assert,
  }) => {
    const { kocho } = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: kocho.id }).create()
    const contractor = await ContractorFactory.merge({ name: '台帳情報サービス株式会社' }).create()
    const contractorUser = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id, departmentId: null })
      .create()
    const admin = await UserFactory.apply('admin').merge({ departmentId: null }).create()

    const staffPage = await client.get('/dashboard').loginAs(staff)
    staffPage.assertStatus(200)
    staffPage.assertTextIncludes(kocho.name)
    const contractorPage = await client.get('/dashboard').loginAs(contractorUser)
    contractorPage.assertStatus(200)
    contractorPage.assertTextIncludes('台帳情報サービス株式会社')

    const { page: adminPage, queries } = await openRecordingQueries(client, '/dashboard', admin)
    adminPage.assertStatus(200)
    assert.notInclude(adminPage.text(), '所属')
    assert.deepEqual(readsByEmptyKey(queries), [])
  })
})
