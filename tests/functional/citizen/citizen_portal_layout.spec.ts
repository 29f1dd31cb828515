import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { OpinionFactory } from '#database/factories/opinion_factory'

test.group('Citizen portal on phones', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the list of submissions stacks: each cell carries its column header as data-label', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified').create()
    await OpinionFactory.merge({ citizenId: citizen.id, subject: '公園の<遊具>について' }).create()

    const response = await client.get('/citizen').withGuard('citizen').loginAs(citizen)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, '<table class="table table--stack">')
    const row = html.match(/<tbody>\s*<tr>([\s\S]*?)<\/tr>/)?.[1] ?? ''
    assert.deepEqual(
      [...row.matchAll(/<td data-label="([^"]+)">/g)].map((match) => match[1]),
      ['受付番号', '送信日', '件名', '状態', '回答']
    )
    // The subject is still escaped once, inside its labelled cell.
    assert.include(row, '公園の&lt;遊具&gt;について')
  })
})
