import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import DemoData, { DEMO_PASSWORD, DemoDataRefused } from '#database/demo/demo_data'
import User from '#models/user'
import Citizen from '#models/citizen'
import { ROLES } from '#enums/role'
import { freshIp } from '#tests/helpers'

test.group('Demo data', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('loads one demo account per role into an empty database', async ({ assert }) => {
    assert.equal(await DemoData.load({ inProduction: false }), 'loaded')
    const users = await User.query().where('isDemo', true)
    assert.includeMembers([...new Set(users.map((user) => user.role))], [...ROLES])
    assert.isNotNull(await Citizen.findByEmail('citizen@demo.daicho.jp'))
    const contractorUser = users.find((user) => user.role === 'contractor')!
    assert.isNotNull(contractorUser.contractorId)
  })

  test('does nothing when the database already has users', async ({ assert }) => {
    await DemoData.load({ inProduction: false })
    const before = await User.query().count('* as total')
    assert.equal(await DemoData.load({ inProduction: false }), 'skipped')
    const after = await User.query().count('* as total')
    assert.deepEqual(after[0].$extras.total, before[0].$extras.total)
  })

  test('is refused in production', async ({ assert }) => {
    await assert.rejects(() => DemoData.load({ inProduction: true }), DemoDataRefused)
    const counted = await User.query().count('* as total')
    assert.equal(Number(counted[0].$extras.total), 0)
  })

  test('the documented demo logins work', async ({ client }) => {
    await DemoData.load({ inProduction: false })
    const response = await client
      .post('/login')
      .header('x-forwarded-for', freshIp())
      .form({ email: 'privacy@demo.daicho.jp', password: DEMO_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/dashboard')
  })
})
