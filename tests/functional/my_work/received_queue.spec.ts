import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { receivedQueue } from '#services/my_work/opinion_sections'

test.group('My work: the opinion office’s queue of received opinions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('on PostgreSQL its first rows are read in order from the partial index, without sorting (migration 9060)', async ({
    assert,
  }) => {
    if (db.connection().dialect.name !== 'postgres') {
      // SQLite's planner would keep to the status index and sort: no index to keep up there.
      const indexes = await db
        .from('sqlite_master')
        .where({ type: 'index', name: 'opinions_received_queue_index' })
      assert.lengthOf(indexes, 0)
      return
    }
    // With so few rows the planner may sort anyway; forbidding it shows whether the index can
    // give the order (the test's transaction is rolled back, and the setting with it).
    await db.rawQuery('SET LOCAL enable_sort = off')
    const explained = await db.rawQuery(
      `EXPLAIN (FORMAT JSON) ${receivedQueue().limit(5).toQuery()}`
    )
    const plan = JSON.stringify(explained.rows[0]['QUERY PLAN'])
    assert.include(plan, 'opinions_received_queue_index')
    assert.notInclude(plan, '"Sort"')
  })
})
