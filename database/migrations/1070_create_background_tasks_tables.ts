import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `background_tasks`: an import or export a user started, run as a queued job. Its progress
 * (phase, rows done of total) is what the task page shows live; its result (the import report,
 * or the file to download) is kept for the user who started it until `expires_at`. The result
 * may quote cells of an imported file, so it is stored encrypted.
 *
 * `legacy_import_rows`: the staging table of a legacy import. Rows are checked into it in
 * batches (short transactions), then applied in one short transaction; the payload holds a
 * citizen's data and is encrypted.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('background_tasks', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('kind', 50).notNullable()
      table.string('status', 20).notNullable().defaultTo('queued')
      table.string('phase', 50).nullable()
      table.integer('total').nullable()
      table.integer('done').notNullable().defaultTo(0)
      table.text('params').notNullable()
      table.text('result_encrypted').nullable()
      table.string('file_path', 500).nullable()
      table.string('file_name', 255).nullable()
      table.bigint('file_size').nullable()
      table.text('error').nullable()
      table.timestamp('started_at').nullable()
      table.timestamp('phase_started_at').nullable()
      table.timestamp('finished_at').nullable()
      table.timestamp('expires_at').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['user_id', 'kind', 'status'])
      table.index(['expires_at'])
    })
    this.schema.createTable('legacy_import_rows', (table) => {
      table.increments('id')
      table
        .integer('task_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('background_tasks')
        .onDelete('CASCADE')
      table.integer('line').notNullable()
      table.string('legacy_id', 100).notNullable()
      table.text('payload_encrypted').notNullable()
      table.index(['task_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('legacy_import_rows')
    this.schema.dropTable('background_tasks')
  }
}
