import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Oversight duties (監督上の義務) that the clauses of a contract's special
 * terms create: one row per contract, kind and period (fiscal year, month,
 * or a one-off), with its due date, how it was satisfied or waived, and
 * which reminder stages were already sent.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('oversight_duties', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('CASCADE')
      table.string('kind', 30).notNullable()
      table.string('period_key', 20).notNullable()
      table.date('due_on').notNullable()
      table.string('state', 20).notNullable().defaultTo('open')
      table.date('satisfied_on').nullable()
      table.string('evidence_type', 40).nullable()
      table.integer('evidence_id').nullable()
      table.text('waived_reason').nullable()
      table
        .integer('waived_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('reminded_due_at').nullable()
      table.timestamp('reminded_overdue_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['contract_id', 'kind', 'period_key'])
      table.index(['state', 'due_on'])
    })
  }

  async down() {
    this.schema.dropTable('oversight_duties')
  }
}
