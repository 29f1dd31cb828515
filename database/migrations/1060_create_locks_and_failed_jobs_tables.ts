import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * `locks`: the @adonisjs/lock database store (a scheduled job runs once across app instances).
 * `failed_jobs`: background jobs (mails, imports, exports) that still failed after their retries,
 * kept for the administrators to see and retry; the payload is encrypted (it may hold a
 * citizen's address and message).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('locks', (table) => {
      table.string('key', 255).notNullable().primary()
      table.string('owner').notNullable()
      table.bigint('expiration').unsigned().nullable()
    })
    this.schema.createTable('failed_jobs', (table) => {
      table.increments('id')
      table.string('queue', 100).notNullable().defaultTo('default')
      table.string('job', 500).notNullable()
      table.text('payload_encrypted').notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('error').notNullable()
      table.timestamp('failed_at').notNullable()
      table.timestamp('retried_at').nullable()
      table.index(['retried_at', 'failed_at'])
    })
  }

  async down() {
    this.schema.dropTable('failed_jobs')
    this.schema.dropTable('locks')
  }
}
