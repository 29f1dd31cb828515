import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Council items get the status 'approved' (上位者承認済み) between 'draft' and
 * 'submitted': items approved before it existed were still 'draft' with an
 * approval date.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      await db.from('council_items').where('status', 'draft').whereNotNull('approved_at').update({ status: 'approved' })
    })
  }

  async down() {
    this.defer(async (db) => {
      await db.from('council_items').where('status', 'approved').update({ status: 'draft' })
    })
  }
}
