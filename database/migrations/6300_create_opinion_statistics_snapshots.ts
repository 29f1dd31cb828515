import { BaseSchema } from '@adonisjs/lucid/schema'

const WATCHED_TABLES = ['opinions', 'opinion_departments'] as const

/**
 * Statistics snapshots per fiscal year (OpinionStatisticsSnapshots): the
 * counted rows of one fiscal year are kept with the year's version, and
 * reused while the version is unchanged. Triggers on opinions and
 * opinion_departments bump the version of every fiscal year a statement
 * touches, so no write path can forget it. PostgreSQL uses statement-level
 * triggers (one upsert per statement, not per row: bulk imports stay fast);
 * SQLite has row-level triggers only.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('opinion_statistics_versions', (table) => {
      table.integer('fiscal_year').primary()
      table.bigInteger('version').notNullable()
    })
    this.schema.createTable('opinion_statistics_snapshots', (table) => {
      table.increments('id')
      /** sha256 of the fiscal year, the filters and the departments in scope. */
      table.string('cache_key', 64).notNullable().unique()
      table.integer('fiscal_year').notNullable()
      table.bigInteger('version').notNullable()
      table.text('payload').notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['fiscal_year', 'version'])
    })

    const postgres = this.db.dialect.name === 'postgres'
    this.defer(async (db) => {
      await db.rawQuery(
        'INSERT INTO opinion_statistics_versions (fiscal_year, version) SELECT DISTINCT fiscal_year, 1 FROM opinions'
      )
      for (const table of WATCHED_TABLES) {
        for (const statement of postgres ? postgresTriggers(table) : sqliteTriggers(table))
          await db.rawQuery(statement)
      }
    })
  }

  async down() {
    const postgres = this.db.dialect.name === 'postgres'
    this.defer(async (db) => {
      for (const table of WATCHED_TABLES) {
        for (const operation of ['insert', 'update', 'delete']) {
          await db.rawQuery(
            `DROP TRIGGER IF EXISTS ${table}_statistics_${operation}${postgres ? ` ON ${table}` : ''}`
          )
        }
      }
      if (postgres) {
        for (const transition of ['new', 'old', 'both'])
          await db.rawQuery(`DROP FUNCTION IF EXISTS opinion_statistics_touch_${transition}()`)
      }
    })
    this.schema.dropTable('opinion_statistics_snapshots')
    this.schema.dropTable('opinion_statistics_versions')
  }
}

const UPSERT =
  'ON CONFLICT (fiscal_year) DO UPDATE SET version = opinion_statistics_versions.version + 1'

/** Three functions (new rows, old rows, both), shared by the two tables; created once. */
function postgresTriggers(table: string): string[] {
  const functions =
    table === WATCHED_TABLES[0]
      ? [
          ['new', 'SELECT fiscal_year FROM changed_new'],
          ['old', 'SELECT fiscal_year FROM changed_old'],
          ['both', 'SELECT fiscal_year FROM changed_new UNION SELECT fiscal_year FROM changed_old'],
        ].map(
          ([
            name,
            years,
          ]) => `CREATE FUNCTION opinion_statistics_touch_${name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO opinion_statistics_versions (fiscal_year, version)
                SELECT DISTINCT fiscal_year, 1 FROM (${years}) AS years WHERE fiscal_year IS NOT NULL
                ${UPSERT};
              RETURN NULL;
            END $$`
        )
      : []
  return [
    ...functions,
    `CREATE TRIGGER ${table}_statistics_insert AFTER INSERT ON ${table}
       REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION opinion_statistics_touch_new()`,
    `CREATE TRIGGER ${table}_statistics_update AFTER UPDATE ON ${table}
       REFERENCING NEW TABLE AS changed_new OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION opinion_statistics_touch_both()`,
    `CREATE TRIGGER ${table}_statistics_delete AFTER DELETE ON ${table}
       REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION opinion_statistics_touch_old()`,
  ]
}

/** SQLite's triggers of one watched table (also re-created by migrations that rebuild it). */
export function sqliteTriggers(table: string): string[] {
  const touch = (row: 'NEW' | 'OLD') =>
    `INSERT INTO opinion_statistics_versions (fiscal_year, version) SELECT ${row}.fiscal_year, 1 WHERE ${row}.fiscal_year IS NOT NULL ${UPSERT};`
  return [
    `CREATE TRIGGER ${table}_statistics_insert AFTER INSERT ON ${table} BEGIN ${touch('NEW')} END`,
    `CREATE TRIGGER ${table}_statistics_update AFTER UPDATE ON ${table} BEGIN ${touch('OLD')} ${touch('NEW')} END`,
    `CREATE TRIGGER ${table}_statistics_delete AFTER DELETE ON ${table} BEGIN ${touch('OLD')} END`,
  ]
}
