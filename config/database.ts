import { mkdirSync } from 'node:fs'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { keepCompiledStatements } from '#services/sqlite_statement_cache'

const migrations = { naturalSort: true, paths: ['database/migrations'] }
// Query events are emitted only for bench:http's capture (start/query_log.ts).
const debug = Boolean(env.get('BENCH_QUERY_LOG'))

// A fresh clone has no tmp/ folder; SQLite cannot create its file without it.
mkdirSync(app.tmpPath(), { recursive: true })

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION'),
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: app.tmpPath(env.get('SQLITE_FILE', 'daicho.sqlite3')),
      },
      useNullAsDefault: true,
      debug,
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          connection.pragma('foreign_keys = ON')
          connection.pragma('journal_mode = WAL')
          connection.pragma('busy_timeout = 5000')
          // Deleted personal data is overwritten, not left in free pages (call-center retention purge).
          connection.pragma('secure_delete = ON')
          done(null, keepCompiledStatements(connection))
        },
      },
      migrations,
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'postgres'),
        password: env.get('PG_PASSWORD'),
        database: env.get('PG_DB_NAME', 'daicho'),
      },
      // Lucid lists tables (truncate, migration:fresh) within these schemas.
      searchPath: ['public'],
      debug,
      migrations,
    },
  },
})

export default dbConfig
