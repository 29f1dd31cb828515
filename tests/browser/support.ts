import db from '@adonisjs/lucid/services/db'
import DemoData from '#database/demo/demo_data'

/**
 * Tables left alone: Lucid's migration bookkeeping, and the append-only
 * audit trail (its triggers refuse DELETE; nothing references it, and the
 * runner's final `migration:reset` drops it).
 */
const KEPT_TABLES = new Set([
  'adonis_schema',
  'adonis_schema_versions',
  'audit_logs',
  'audit_checkpoints',
])

/**
 * Empties the application tables (except the audit trail), keeping the schema.
 *
 * `testUtils.db().truncate()` cannot be used here: its cleanup runs
 * `db:truncate`, which on SQLite deletes the tables one by one with
 * `PRAGMA foreign_keys = ON` (set in config/database.ts) and fails with
 * "FOREIGN KEY constraint failed" as soon as rows reference each other;
 * the runner's final `migration:reset` then fails as well and the run hangs.
 * Here the foreign-key checks are deferred to the commit (SQLite) or the
 * tables are truncated together with CASCADE (PostgreSQL).
 */
export async function resetDatabase() {
  const connection = db.connection()
  const allTables = await connection.getAllTables(['public'])
  const tables = allTables.filter((table) => !KEPT_TABLES.has(table))
  if (tables.length === 0) return
  if (connection.dialect.name === 'postgres') {
    const list = tables.map((table) => `"${table}"`).join(', ')
    await connection.rawQuery(`TRUNCATE ${list} RESTART IDENTITY CASCADE`)
    return
  }
  await connection.transaction(async (trx) => {
    await trx.rawQuery('PRAGMA defer_foreign_keys = ON')
    for (const table of tables) {
      await trx.from(table).delete()
    }
  })
}

/**
 * Group setup for browser tests: a clean database with the demo
 * organisation and accounts (password `daicho-demo`). The returned cleanup
 * empties the database again, so the runner's final `migration:reset`
 * finds no rows and succeeds.
 */
export async function freshDemoDatabase() {
  await resetDatabase()
  await DemoData.load({ inProduction: false })
  return resetDatabase
}

/** Demo staff account used by the browser tests. */
export const STAFF = { email: 'staff@demo.daicho.jp', password: 'daicho-demo', name: '広聴 一郎' }

/** Address of the test HTTP server (the one the browser client's contexts use). */
export function appUrl() {
  return `http://${process.env.HOST}:${process.env.PORT}`
}

/** Where screenshots go: tmp/ in test runs; UPDATE_SCREENSHOTS=1 refreshes the README's images. */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? 'docs/screenshots'
  : 'tmp/screenshots'
