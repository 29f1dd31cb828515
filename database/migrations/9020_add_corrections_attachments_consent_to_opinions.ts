import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Corrections, attachments and consent on opinions:
 * - opinions: whether the caller agreed to give personal data at the call center
 *   (同意の有無, null when none was taken) and which use was explained (利用目的の説明:
 *   codes, comma-separated, and a free text);
 * - opinion_events: what a correction of the opinion's details changed, before and after
 *   (`changes`, JSON), the submitter's contact apart and encrypted (`personal_changes`,
 *   field encryption, emptied by the retention purge);
 * - opinion_attachments: letters, FAX images and photos of an opinion, stored encrypted on
 *   the private drive disk under a random key with their own data key (`file_key`, field
 *   encryption), deleted with the opinion or by the retention purge.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('opinions', (table) => {
      table.boolean('personal_data_consent').nullable()
      table.string('consent_purposes', 200).nullable()
      table.text('consent_purpose_note').nullable()
    })

    this.schema.alterTable('opinion_events', (table) => {
      table.text('changes').nullable()
      table.text('personal_changes').nullable()
    })

    this.schema.createTable('opinion_attachments', (table) => {
      table.increments('id')
      table
        .integer('opinion_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('opinions')
        .onDelete('CASCADE')
      table.string('kind', 20).notNullable()
      table.string('storage_key', 100).notNullable().unique()
      table.text('original_name').notNullable()
      table.text('file_key').notNullable()
      table.string('content_type', 50).notNullable()
      table.integer('size').notNullable()
      table
        .integer('uploaded_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['opinion_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('opinion_attachments')
    this.schema.alterTable('opinion_events', (table) => {
      table.dropColumn('personal_changes')
      table.dropColumn('changes')
    })
    // Plain DROP COLUMN: knex would rebuild the SQLite table, which fails on its generated column.
    for (const column of ['consent_purpose_note', 'consent_purposes', 'personal_data_consent']) {
      this.schema.raw(`ALTER TABLE opinions DROP COLUMN ${column}`)
    }
  }
}
