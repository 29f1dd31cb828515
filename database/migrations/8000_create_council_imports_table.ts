import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Council documents being imported into the register (審議会資料の取込み): the source as
 * read (pasted text, or the text of an uploaded .txt / .pdf / .docx), the draft the reader
 * made of it and the officer corrects (JSON, see ImportDraft), and once confirmed the council
 * item it became and how its generated PDF compared with the source (`round_trip`, JSON).
 *
 * A confirmed import keeps its source and draft: they show what was read. Deleting the
 * council item leaves the import with `council_item_id` null; an import is its officer's
 * working copy and goes with their account.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('council_imports', (table) => {
      table.increments('id')
      table
        .integer('created_by_user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('source_kind', 10).notNullable()
      table.string('source_name', 255).nullable()
      table.text('source_text').notNullable()
      table.text('draft').notNullable()
      table.string('status', 20).notNullable()
      table
        .integer('council_item_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('council_items')
        .onDelete('SET NULL')
      table.text('round_trip').nullable()
      table.timestamp('confirmed_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['created_by_user_id', 'id'])
      table.index(['status', 'id'])
      table.index(['council_item_id'])
    })
  }

  async down() {
    this.schema.dropTable('council_imports')
  }
}
