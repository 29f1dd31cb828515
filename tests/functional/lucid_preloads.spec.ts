import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree, openRecordingQueries, queriesDuring } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/** Reads that cannot answer anything: by an empty key (`id is null`) or by no key (`1 = 0`). */
const readsByNoKey = (queries: string[]) =>
  queries.filter((sql) => /\bis\s+null\s+limit\b|\bwhere\s+1\s*=\s*(0|\?|\$1)/i.test(sql))

test.group('Lucid: a belongsTo relation without a key is not read', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("one row's load: null without a query; with a key, read as before", async ({ assert }) => {
    const { kocho } = await departmentTree()
    const admin = await UserFactory.apply('admin').merge({ departmentId: null }).create()
    const staff = await UserFactory.merge({ departmentId: kocho.id }).create()

    const withoutKey = await User.findOrFail(admin.id)
    const skipped = await queriesDuring(() => withoutKey.load('department'))
    assert.deepEqual(skipped, [])
    assert.isNull(withoutKey.department)

    const withKey = await User.findOrFail(staff.id)
    const read = await queriesDuring(() => withKey.load('department'))
    assert.lengthOf(read, 1)
    assert.equal(withKey.department?.name, kocho.name)
  })

  test('a preload on rows that all lack the key sends nothing; one key among them, one read', async ({
    assert,
  }) => {
    const { kocho } = await departmentTree()
    const admins = await UserFactory.apply('admin').merge({ departmentId: null }).createMany(2)
    const staff = await UserFactory.merge({ departmentId: kocho.id }).create()
    const adminIds = admins.map(({ id }) => id)

    let keyless: User[] = []
    const skipped = await queriesDuring(async () => {
      keyless = await User.query().whereIn('id', adminIds).preload('department')
    })
    assert.lengthOf(skipped, 1, 'the users only')
    assert.deepEqual(
      keyless.map((user) => user.department),
      [null, null]
    )

    let mixed: User[] = []
    const read = await queriesDuring(async () => {
      mixed = await User.query()
        .whereIn('id', [...adminIds, staff.id])
        .orderBy('id')
        .preload('department')
    })
    assert.lengthOf(read, 2, 'the users, then their departments')
    assert.deepEqual(
      mixed.map((user) => user.department?.name ?? null),
      [null, null, kocho.name]
    )
  })

  test('a key left out of the select is still reported as missing', async ({ assert }) => {
    await UserFactory.apply('admin').merge({ departmentId: null }).create()
    await assert.rejects(() => User.query().select('id').preload('department'), /departmentId/)
  })

  test('the page of a system whose contract has no contractor yet reads nothing by no key', async ({
    client,
    assert,
  }) => {
    const { kocho } = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const system = await makeSystem(officer, kocho.id)
    const contract = await makeContract(officer, system, {
      title: '未定の委託',
      undecidedNote: '入札により選定予定',
    })

    for (const path of [`/systems/${system.id}`, `/contracts/${contract.id}`]) {
      const { page, queries } = await openRecordingQueries(client, path, officer)
      assert.equal(page.status(), 200, path)
      assert.include(page.text(), '未定の委託', path)
      assert.deepEqual(readsByNoKey(queries), [], path)
    }
  })
})
