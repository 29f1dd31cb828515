/*
|--------------------------------------------------------------------------
| Query log (bench:http only)
|--------------------------------------------------------------------------
|
| With BENCH_QUERY_LOG set, every query the web process runs is appended to
| that file as one JSON line: the SQL in the driver's own form ($1 on
| PostgreSQL) and its bindings. bench:http replays a page's queries raw
| through `pg` to compare the page's time with the time of its SQL.
| Unset (always, outside that bench), nothing is listened to.
|
*/
import { appendFileSync } from 'node:fs'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'

const file = env.get('BENCH_QUERY_LOG')

if (file) {
  emitter.on('db:query', (query) => {
    const client = db.connection(query.connection).getWriteClient()
    const native = client
      .raw(query.sql, query.bindings ?? [])
      .toSQL()
      .toNative()
    appendFileSync(file, `${JSON.stringify({ sql: native.sql, bindings: native.bindings })}\n`)
  })
}
