import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'departments'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('parent_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('departments')
        .onDelete('RESTRICT')
      table.string('code', 20).notNullable().unique()
      table.string('name', 100).notNullable()
      table.string('level', 10).notNullable()
      table.integer('sort_order').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['parent_id'])
    })
  }

  async down() {
    // SQLite checks the self-reference row by row while dropping the table.
    this.defer(async (db) => {
      await db.from(this.tableName).update({ parent_id: null })
    })
    this.schema.dropTable(this.tableName)
  }
}
