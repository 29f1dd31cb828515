import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import DataItem from '#models/data_item'
import Contract from '#models/contract'
import Clock, { FixedClock } from '#services/clock'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

test.group('Register: one failure path', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => app.container.restore(Clock))

  test('a JSON client gets 422 with the Japanese message on its field, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const refused = await client
      .post(`/systems/${system.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ name: '信仰する宗教', prohibitedCategory: 'thought_creed_religion' })
      .redirects(0)
    refused.assertStatus(422)
    refused.assertBodyContains({
      errors: [
        {
          field: 'prohibitedApprovedOn',
          message: '収集禁止事項に該当する項目は、承認日と承認者を入力してください。',
        },
      ],
    })
    assert.isNull(await DataItem.findBy('name', '信仰する宗教'))
  })

  test('a JSON client of the contract form gets the refusal as JSON too (not the form page)', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const refused = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ title: '未定の委託', reason: '専門的な知識が必要なため', periodType: 'fixed' })
      .redirects(0)
    refused.assertStatus(422)
    refused.assertBodyContains({
      errors: [{ field: 'undecidedNote', code: 'register.contracts.selection_required' }],
    })
    assert.isNull(await Contract.findBy('title', '未定の委託'))
  })

  test('the end of a contract is decided by the clock of the container', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id)
    const form = { endReason: 'terminated', endedOn: '2026-06-30' }
    const before = await makeContract(staff, system, {
      title: '終了前の委託',
      undecidedNote: '入札により決定',
      periodType: 'open_ended',
      startsOn: new Date('2026-04-01'),
    })
    const after = await makeContract(staff, system, {
      title: '終了後の委託',
      undecidedNote: '入札により決定',
      periodType: 'open_ended',
      startsOn: new Date('2026-04-01'),
    })

    app.container.swap(
      Clock,
      () => new FixedClock(DateTime.fromISO('2026-06-01T09:00:00', { zone: 'Asia/Tokyo' }))
    )
    const early = await client
      .post(`/contracts/${before.id}/end`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    early.assertStatus(302)
    app.container.swap(
      Clock,
      () => new FixedClock(DateTime.fromISO('2026-07-01T09:00:00', { zone: 'Asia/Tokyo' }))
    )
    const late = await client
      .post(`/contracts/${after.id}/end`)
      .loginAs(staff)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    late.assertStatus(302)

    await before.refresh()
    await after.refresh()
    assert.equal(before.endedOn?.toISODate(), '2026-06-30')
    assert.notEqual(before.status, 'ended') // works until its last day
    assert.equal(after.status, 'ended')
  })
})
