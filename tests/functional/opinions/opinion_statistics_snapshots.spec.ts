import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import OpinionStatistics from '#services/opinions/opinion_statistics'
import { TODAY, knownOpinions } from '#tests/functional/opinions/opinion_statistics_fixtures'

const counts = (buckets: Array<{ key: string; count: number }>) =>
  Object.fromEntries(buckets.map((b) => [b.key, b.count]))

/** The page without what differs per request (the CSRF token). */
const figuresOf = (html: string) => html.replace(/name='_csrf' value='[^']*'/g, '')

const versionOf = async (fiscalYear: number) => {
  const row = await db
    .from('opinion_statistics_versions')
    .where('fiscal_year', fiscalYear)
    .firstOrFail()
  return Number(row.version)
}

test.group('Opinion statistics: snapshots', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('two views without a change show the same page; a view after a change shows it', async ({
    client,
    assert,
  }) => {
    const { opinions } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const view = async () => {
      const response = await client.get('/opinion-statistics?fiscalYear=all').loginAs(operator)
      response.assertStatus(200)
      return response.text()
    }
    const first = await view()
    assert.match(first, /<th scope="row">FAX<\/th>\s*<td class="num">1<\/td>/)
    assert.equal(figuresOf(await view()), figuresOf(first))

    // r1 (FY2025, counted from its snapshot above) comes by FAX now.
    opinions[0].channel = 'fax'
    await opinions[0].save()
    const after = await view()
    assert.match(after, /<th scope="row">FAX<\/th>\s*<td class="num">2<\/td>/)
    assert.match(after, /<th scope="row">電子メール<\/th>\s*<td class="num">5<\/td>/)
  })

  test('a change undone never shows, even once another change brings the year to the same version', async ({
    assert,
  }) => {
    const { opinions } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const committed = await OpinionStatistics.compute(operator, {}, TODAY)
    const committedVersion = await versionOf(2025)

    // r1 by FAX, viewed (and stored as a snapshot), then undone as a rollback leaves it:
    // the row, the year's version and the snapshots as before (another process may have seen it).
    await db.from('opinions').where('id', opinions[0].id).update({ channel: 'fax' })
    const seenVersion = await versionOf(2025)
    const seen = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(counts(seen.byChannel).fax, 2)
    await db.from('opinions').where('id', opinions[0].id).update({ channel: 'email' })
    await db
      .from('opinion_statistics_versions')
      .where('fiscal_year', 2025)
      .update({ version: committedVersion })
    await db
      .from('opinion_statistics_snapshots')
      .where('fiscal_year', 2025)
      .where('version', '>', committedVersion)
      .delete()
    assert.deepEqual(await OpinionStatistics.compute(operator, {}, TODAY), committed)

    // Another change: FY2025 is at the version the undone change had.
    await db.from('opinions').where('id', opinions[0].id).update({ channel: 'letter' })
    assert.equal(await versionOf(2025), seenVersion)
    const after = await OpinionStatistics.compute(operator, {}, TODAY)
    assert.equal(counts(after.byChannel).letter, 2)
    assert.equal(counts(after.byChannel).fax, 1)
  })

  test('the open opinions by due date have their partial index (migration 9050)', async ({
    assert,
  }) => {
    const postgres = db.connection().dialect.name === 'postgres'
    const rows: Array<{ sql: string }> = postgres
      ? await db
          .from('pg_indexes')
          .where('indexname', 'opinions_open_due_index')
          .select('indexdef as sql')
      : await db
          .from('sqlite_master')
          .where({ type: 'index', name: 'opinions_open_due_index' })
          .select('sql')
    const definition = rows[0]?.sql
    assert.isString(definition)
    assert.match(definition, /\(due_on, fiscal_year, lead_department_id, replied_at, status, id\)/)
    for (const status of ['received', 'forwarded', 'awaiting_approval'])
      assert.include(definition, `'${status}'`)
    assert.notInclude(definition, "'replied'")
    assert.notInclude(definition, "'closed'")
  })
})
