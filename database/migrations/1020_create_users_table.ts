import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('password').notNullable()
      table.string('full_name', 100).notNullable()
      table.string('role', 30).notNullable()
      table
        .integer('department_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('departments')
        .onDelete('RESTRICT')
      table
        .integer('contractor_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('contractors')
        .onDelete('RESTRICT')
      table.string('locale', 5).notNullable().defaultTo('ja')
      table.boolean('is_active').notNullable().defaultTo(true)
      table.boolean('is_demo').notNullable().defaultTo(false)
      table.integer('failed_login_count').notNullable().defaultTo(0)
      table.timestamp('locked_until').nullable()
      table.timestamp('last_login_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['department_id'])
      table.index(['contractor_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
