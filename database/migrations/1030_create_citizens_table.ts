import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Citizens' personal data is encrypted per field (AES-256-GCM). The email is
 * also stored as a keyed blind index so that login can find the account.
 */
export default class extends BaseSchema {
  protected tableName = 'citizens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.text('email').notNullable()
      table.string('email_index', 64).notNullable().unique()
      table.string('password').notNullable()
      table.text('full_name').notNullable()
      table.text('phone').nullable()
      table.boolean('is_demo').notNullable().defaultTo(false)
      table.timestamp('email_verified_at').nullable()
      table.integer('failed_login_count').notNullable().defaultTo(0)
      table.timestamp('locked_until').nullable()
      table.timestamp('last_login_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
