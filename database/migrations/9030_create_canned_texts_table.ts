import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * 定型文: a department's canned reply texts, inserted into reply drafts.
 * Departments also get an optional address and phone number, printed in
 * the letterhead of a 回答書 (the ward's settings otherwise).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('canned_texts', (table) => {
      table.increments('id')
      table
        .integer('department_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('departments')
        .onDelete('CASCADE')
      table.string('title', 100).notNullable()
      table.text('body').notNullable()
      table
        .integer('updated_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['department_id', 'title'])
    })

    this.schema.alterTable('departments', (table) => {
      table.string('address', 200).nullable()
      table.string('phone', 40).nullable()
    })
  }

  async down() {
    this.schema.alterTable('departments', (table) => {
      table.dropColumn('phone')
      table.dropColumn('address')
    })
    this.schema.dropTable('canned_texts')
  }
}
