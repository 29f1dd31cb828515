import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Training records (従業員教育の実施記録) filed by a contractor; one per
 * fiscal year satisfies the training duty of the special terms.
 */
export default class extends BaseSchema {
  protected tableName = 'training_records'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('CASCADE')
      table.date('trained_on').notNullable()
      table.text('content').notNullable()
      table.integer('attendees').notNullable()
      table
        .integer('submitted_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['contract_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
