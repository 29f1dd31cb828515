import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * When the department was told about a forwarded opinion. An opinion taken
 * in after hours is announced when it is handed over (next open day).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('opinion_departments', (table) => {
      table.timestamp('notified_at').nullable()
    })
  }

  async down() {
    this.schema.alterTable('opinion_departments', (table) => {
      table.dropColumn('notified_at')
    })
  }
}
