import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, openRecordingQueries, withQueries } from '#tests/helpers'

/** Reads of one account by its id (the session's user, the account edited). */
const accountReads = (queries: string[]) =>
  queries.filter((sql) => /^select \* from [`"]?users[`"]? where [`"]?id[`"]? = /.test(sql))

test.group('Administration: accounts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("an administrator's own account is read once to edit and to save it; another's is read for itself", async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const admin = await UserFactory.apply('admin').merge({ fullName: '管理 太郎' }).create()
    const staff = await UserFactory.merge({
      departmentId: tree.kocho.id,
      fullName: '広聴 一郎',
    }).create()

    const { page: own, queries: ownReads } = await openRecordingQueries(
      client,
      `/admin/users/${admin.id}/edit`,
      admin
    )
    own.assertStatus(200)
    assert.include(own.text(), 'value="管理 太郎"')
    assert.lengthOf(accountReads(ownReads), 1)

    const { result: saved, queries: saving } = await withQueries(() =>
      client
        .put(`/admin/users/${admin.id}`)
        .loginAs(admin)
        .withCsrfToken()
        .form({
          fullName: '管理 次郎',
          email: admin.email,
          role: 'admin',
          locale: 'ja',
          isActive: 'true',
        })
        .redirects(0)
    )
    saved.assertHeader('location', '/admin/users')
    assert.lengthOf(accountReads(saving), 1)
    const renamed = await User.findOrFail(admin.id)
    assert.equal(renamed.fullName, '管理 次郎')

    const { page: other, queries: otherReads } = await openRecordingQueries(
      client,
      `/admin/users/${staff.id}/edit`,
      admin
    )
    assert.include(other.text(), 'value="広聴 一郎"')
    assert.lengthOf(accountReads(otherReads), 2)
    const missing = await client.get(`/admin/users/${staff.id + 1000}/edit`).loginAs(admin)
    missing.assertStatus(404)
  })
})
