import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One row per scheduled job: the lease that lets only one app instance run
 * a job at a time, and the outcome of its last run.
 */
export default class extends BaseSchema {
  protected tableName = 'job_locks'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('name', 100).primary()
      table.string('locked_by', 100).nullable()
      table.bigInteger('locked_until').notNullable().defaultTo(0)
      table.timestamp('last_started_at').nullable()
      table.timestamp('last_finished_at').nullable()
      table.string('last_status', 20).nullable()
      table.text('last_message').nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
