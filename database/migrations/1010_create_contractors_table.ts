import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Contractors (委託先) with their register details: reading, Privacy Mark
 * (number and expiry), representative and the contact for the ward.
 */
export default class extends BaseSchema {
  protected tableName = 'contractors'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('name', 200).notNullable()
      table.string('corporate_number', 13).nullable().unique()
      table.string('address', 300).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.string('name_kana', 200).nullable()
      table.string('representative', 100).nullable()
      table.string('privacy_mark_number', 30).nullable()
      table.date('privacy_mark_expires_on').nullable()
      table.string('contact_department', 100).nullable()
      table.string('contact_name', 100).nullable()
      table.string('contact_phone', 20).nullable()
      table.string('contact_email', 254).nullable()
      table.text('notes').nullable()
      table.index(['privacy_mark_expires_on'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
