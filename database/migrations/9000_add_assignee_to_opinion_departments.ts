import { BaseSchema } from '@adonisjs/lucid/schema'
import { sqliteTriggers } from './6300_create_opinion_statistics_snapshots.js'

/**
 * The person (担当者) of a department who handles an opinion forwarded to it, and when they
 * were named. `opinion_departments_pending_index` holds the unhandled forwards only: the start
 * page counts them per department and per assignee on every visit.
 */
export default class extends BaseSchema {
  async up() {
    if (this.db.dialect.name.includes('sqlite')) {
      // SQLite adds a column with a foreign key in place; knex would rebuild the table and lose
      // its statistics triggers.
      this.schema.raw(
        'ALTER TABLE opinion_departments ADD COLUMN assigned_user_id integer NULL REFERENCES users (id) ON DELETE SET NULL'
      )
      this.schema.raw('ALTER TABLE opinion_departments ADD COLUMN assigned_at datetime NULL')
      this.schema.raw(
        'CREATE INDEX opinion_departments_assigned_user_id_opinion_id_index ON opinion_departments (assigned_user_id, opinion_id)'
      )
    } else {
      this.#addColumns()
    }
    this.schema.raw(
      "CREATE INDEX opinion_departments_pending_index ON opinion_departments (department_id, opinion_id) WHERE handling_status = 'pending'"
    )
  }

  #addColumns() {
    this.schema.alterTable('opinion_departments', (table) => {
      table
        .integer('assigned_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('assigned_at').nullable()
      table.index(['assigned_user_id', 'opinion_id'])
    })
  }

  async down() {
    this.schema.raw('DROP INDEX opinion_departments_pending_index')
    this.schema.alterTable('opinion_departments', (table) => {
      table.dropIndex(['assigned_user_id', 'opinion_id'])
      table.dropForeign(['assigned_user_id'])
      table.dropColumn('assigned_user_id')
      table.dropColumn('assigned_at')
    })
    // On SQLite that rebuilt the table without its triggers.
    if (this.db.dialect.name.includes('sqlite')) {
      for (const statement of sqliteTriggers('opinion_departments')) this.schema.raw(statement)
    }
  }
}
