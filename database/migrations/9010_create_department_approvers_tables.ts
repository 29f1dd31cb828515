import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Approvers (承認者) and acting approvers (代理) named per department, the
 * periods a person is away (不在), and what an approval request needs to be
 * escalated once: when it was asked for (council items had no request step)
 * and when it was escalated (claimed with a conditional UPDATE).
 *
 * `council_items.requested_by_user_id` has no foreign key: SQLite cannot add
 * one to an existing table (the drafter ids have none either).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('department_approvers', (table) => {
      table.increments('id')
      table
        .integer('department_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('departments')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      /** approver (承認者) or acting (代理承認者). */
      table.string('capacity', 20).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['department_id', 'user_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('user_absences', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.date('starts_on').notNullable()
      table.date('ends_on').notNullable()
      table.string('note', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['user_id', 'ends_on'])
    })

    this.schema.alterTable('council_items', (table) => {
      table.timestamp('requested_at').nullable()
      table.integer('requested_by_user_id').unsigned().nullable()
      table.timestamp('approval_escalated_at').nullable()
    })
    this.schema.alterTable('opinion_replies', (table) => {
      table.timestamp('approval_escalated_at').nullable()
    })
    this.schema.alterTable('faq_versions', (table) => {
      table.timestamp('approval_escalated_at').nullable()
    })
  }

  async down() {
    this.schema.alterTable('faq_versions', (table) => {
      table.dropColumn('approval_escalated_at')
    })
    this.schema.alterTable('opinion_replies', (table) => {
      table.dropColumn('approval_escalated_at')
    })
    this.schema.alterTable('council_items', (table) => {
      table.dropColumn('approval_escalated_at')
      table.dropColumn('requested_by_user_id')
      table.dropColumn('requested_at')
    })
    this.schema.dropTable('user_absences')
    this.schema.dropTable('department_approvers')
  }
}
