import { test } from '@japa/runner'
import { createRequire } from 'node:module'
import db from '@adonisjs/lucid/services/db'
import { STATEMENTS_KEPT, keepCompiledStatements } from '#services/sqlite_statement_cache'

const require = createRequire(import.meta.url)
const Database = require('better-sqlite3')

/** An in-memory SQLite connection keeping its statements, and how many it compiled. */
function connection() {
  const raw = new Database(':memory:')
  const compile = raw.prepare.bind(raw)
  const compiled: string[] = []
  raw.prepare = (sql: string) => {
    compiled.push(sql)
    return compile(sql)
  }
  return { sqlite: keepCompiledStatements(raw), compiled }
}

test.group('SQLite: compiled statements kept per connection', () => {
  test('the same SQL is compiled once and answers each run with its own bindings', ({ assert }) => {
    const { sqlite, compiled } = connection()
    sqlite.prepare('create table t (id integer primary key, name text)').run()
    const insert = 'insert into t (name) values (?)'
    for (const name of ['防災', '駐輪場', '公園']) sqlite.prepare(insert).run(name)
    const byName = 'select id from t where name = ?'
    assert.deepEqual(sqlite.prepare(byName).all('駐輪場'), [{ id: 2 }])
    assert.deepEqual(sqlite.prepare(byName).all('公園'), [{ id: 3 }])
    assert.deepEqual(sqlite.prepare(byName).all('ない'), [])

    assert.deepEqual(
      compiled.filter((sql) => sql === insert),
      [insert]
    )
    assert.deepEqual(
      compiled.filter((sql) => sql === byName),
      [byName]
    )
    assert.strictEqual(sqlite.prepare(byName), sqlite.prepare(byName))
  })

  test('a kept statement follows a change of the schema (a migration)', ({ assert }) => {
    const { sqlite } = connection()
    sqlite.prepare('create table t (id integer primary key, name text)').run()
    sqlite.prepare('insert into t (name) values (?)').run('防災')
    const all = 'select * from t'
    assert.deepEqual(sqlite.prepare(all).all(), [{ id: 1, name: '防災' }])

    sqlite.prepare("alter table t add column channel text not null default 'mail'").run()
    assert.deepEqual(sqlite.prepare(all).all(), [{ id: 1, name: '防災', channel: 'mail' }])

    sqlite.prepare('drop table t').run()
    sqlite.prepare('create table t (id integer primary key, subject text)').run()
    sqlite.prepare('insert into t (subject) values (?)').run('公園')
    assert.deepEqual(sqlite.prepare(all).all(), [{ id: 1, subject: '公園' }])
  })

  test(`at most ${STATEMENTS_KEPT} are kept: the least recently used is compiled again`, ({
    assert,
  }) => {
    const { sqlite, compiled } = connection()
    const select = (n: number) => `select ${n} as n`
    for (let n = 0; n <= STATEMENTS_KEPT; n++) {
      if (n === STATEMENTS_KEPT) sqlite.prepare(select(0)) // used again: now the most recent
      sqlite.prepare(select(n))
    }
    compiled.length = 0
    assert.deepEqual(sqlite.prepare(select(0)).get(), { n: 0 })
    assert.deepEqual(sqlite.prepare(select(STATEMENTS_KEPT)).get(), { n: STATEMENTS_KEPT })
    assert.deepEqual(compiled, [], 'the recently used ones are still kept')
    sqlite.prepare(select(1))
    assert.deepEqual(compiled, [select(1)], 'the least recently used one was dropped')
  })

  test("the application's SQLite connections keep theirs", async ({ assert }) => {
    const client = db.connection().getWriteClient().client
    const raw = await client.acquireConnection()
    try {
      const sql = 'select count(*) as total from users where role = ?'
      assert.strictEqual(raw.prepare(sql), raw.prepare(sql))
      assert.notStrictEqual(raw.prepare(sql), raw.prepare(`${sql} and is_active = 1`))
    } finally {
      await client.releaseConnection(raw)
    }
  }).skip(
    db.connection().dialect.name !== 'better-sqlite3',
    'SQLite only (PostgreSQL compiles on the server)'
  )
})
