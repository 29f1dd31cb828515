import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Statistics at 1,000,000 opinions under 500 ms (bench:opinions).
 *
 * - opinions.replied_late: a generated column (replied after the due date,
 *   ward-local), so the overdue figure is a plain count instead of a time
 *   zone conversion per row. NULL when there is no reply or nothing is owed.
 * - Two narrow covering indexes instead of one wide one (6100), each led by
 *   fiscal_year and in the order of its GROUP BY, so PostgreSQL aggregates
 *   straight from an index-only scan without hashing every row.
 * - opinion_departments.fiscal_year (the opinion's, which never changes), a
 *   partial index on the co-forwarded (non-lead) rows, and one by department
 *   and year: the per-department counts and a department's scope read only
 *   the fiscal year's rows instead of every forwarding of the department.
 */
export default class extends BaseSchema {
  async up() {
    const postgres = this.db.dialect.name === 'postgres'
    this.defer(async (db) => {
      if (postgres) {
        await db.rawQuery(
          `ALTER TABLE opinions ADD COLUMN replied_late boolean
             GENERATED ALWAYS AS ((replied_at AT TIME ZONE 'Asia/Tokyo')::date > due_on) STORED`
        )
      } else {
        // SQLite keeps replied_at as the ward-local 'yyyy-MM-dd HH:mm:ss' (ALTER TABLE allows VIRTUAL only).
        await db.rawQuery(
          `ALTER TABLE opinions ADD COLUMN replied_late boolean
             GENERATED ALWAYS AS (substr(replied_at, 1, 10) > due_on) VIRTUAL`
        )
      }
    })

    this.schema.alterTable('opinions', (table) => {
      table.dropIndex([], 'opinions_statistics_index')
    })
    this.schema.alterTable('opinions', (table) => {
      table.index(['fiscal_year', 'received_month', 'channel', 'kind', 'status', 'topic_id', 'id'], 'opinions_statistics_months_index')
      table.index(
        ['fiscal_year', 'topic_id', 'lead_department_id', 'reply_open_days', 'due_on', 'replied_late', 'channel', 'kind', 'status', 'id'],
        'opinions_statistics_replies_index'
      )
    })

    this.schema.alterTable('opinion_departments', (table) => {
      table.integer('fiscal_year').nullable()
    })
    this.defer(async (db) => {
      if (postgres) {
        await db.rawQuery(
          'UPDATE opinion_departments SET fiscal_year = opinions.fiscal_year FROM opinions WHERE opinions.id = opinion_departments.opinion_id'
        )
        await db.rawQuery('ALTER TABLE opinion_departments ALTER COLUMN fiscal_year SET NOT NULL')
      } else {
        await db.rawQuery(
          'UPDATE opinion_departments SET fiscal_year = (SELECT fiscal_year FROM opinions WHERE opinions.id = opinion_departments.opinion_id)'
        )
      }
      await db.rawQuery(
        'CREATE INDEX opinion_departments_co_forwarded_index ON opinion_departments (fiscal_year, department_id, opinion_id) WHERE NOT is_lead'
      )
    })
    this.schema.alterTable('opinion_departments', (table) => {
      table.index(['department_id', 'fiscal_year', 'opinion_id'], 'opinion_departments_scope_index')
    })
  }

  async down() {
    this.schema.alterTable('opinion_departments', (table) => {
      table.dropIndex([], 'opinion_departments_scope_index')
    })
    this.schema.raw('DROP INDEX opinion_departments_co_forwarded_index')
    this.schema.alterTable('opinion_departments', (table) => {
      table.dropColumn('fiscal_year')
    })
    this.schema.alterTable('opinions', (table) => {
      table.dropIndex([], 'opinions_statistics_replies_index')
      table.dropIndex([], 'opinions_statistics_months_index')
    })
    this.schema.raw('ALTER TABLE opinions DROP COLUMN replied_late')
    this.schema.alterTable('opinions', (table) => {
      table.index(
        ['fiscal_year', 'received_month', 'channel', 'kind', 'status', 'topic_id', 'lead_department_id', 'reply_open_days', 'due_on', 'replied_at', 'id'],
        'opinions_statistics_index'
      )
    })
  }
}
