import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Contractor register details: reading, Privacy Mark (number and expiry),
 * representative and the contact for the ward.
 */
export default class extends BaseSchema {
  protected tableName = 'contractors'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
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
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['privacy_mark_expires_on'])
      table.dropColumns(
        'name_kana',
        'representative',
        'privacy_mark_number',
        'privacy_mark_expires_on',
        'contact_department',
        'contact_name',
        'contact_phone',
        'contact_email',
        'notes'
      )
    })
  }
}
