import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The privacy review council (審議会): meetings per fiscal year, items
 * (諮問・報告事項) with their annexes (one per system / contract), and the
 * register version each annex froze when the item was decided.
 *
 * `extra_rows` (on an item: 事業の概要; on an annex) keeps rows a real
 * document has that the templates do not model (根拠法令, 委託先の選定方法,
 * 実施時期, 再委託の有無, 備考 …) as written: a JSON list of
 * { label, value, after }, where `after` is the key of the template row the
 * row follows ('' = at the end, '^' = first).
 *
 * Columns are listed in the order the tables have always had (later
 * additions last), so the schema stays the one earlier migrations built.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('council_meetings', (table) => {
      table.increments('id')
      table.integer('fiscal_year').notNullable()
      table.integer('number').notNullable()
      table.date('held_on').nullable()
      table.text('notes').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['fiscal_year', 'number'])
    })

    this.schema.createTable('council_items', (table) => {
      table.increments('id')
      table
        .integer('meeting_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('council_meetings')
        .onDelete('RESTRICT')
      table
        .integer('department_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('departments')
        .onDelete('RESTRICT')
      table.string('document_number', 30).nullable()
      table.string('subject', 300).notNullable()
      table.text('basis').notNullable().defaultTo('[]')
      table.string('contact_section', 100).nullable()
      table.string('contact_person', 100).nullable()
      table.string('contact_extension', 30).nullable()
      table.string('status', 20).notNullable()
      table
        .integer('approved_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('approved_at').nullable()
      table.timestamp('submitted_at').nullable()
      table.string('outcome', 20).nullable()
      table.date('decided_on').nullable()
      table.text('conditions').nullable()
      table.text('frozen_document').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      /** 担当部課 as the document states it (e.g. 区長室区政情報課); null = the department's name. */
      table.string('department_label', 200).nullable()
      /**
       * Separation of duties: who created the item, and everyone who wrote or edited it
       * (JSON list of user ids); none of them may approve it.
       */
      table
        .integer('created_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('drafter_user_ids').nullable()
      table.text('extra_rows').notNullable().defaultTo('[]')
      table.index(['status'])
      table.index(['department_id'])
    })

    this.schema.createTable('council_item_annexes', (table) => {
      table.increments('id')
      table
        .integer('item_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('council_items')
        .onDelete('CASCADE')
      table
        .integer('system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('personal_data_systems')
        .onDelete('RESTRICT')
      table
        .integer('contract_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table.text('caption').nullable()
      table.integer('sort_order').notNullable().defaultTo(0)
      table
        .integer('approved_version_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('system_versions')
        .onDelete('RESTRICT')
      /** The annex's own 件名; null = the item's subject (system) or the contract's title. */
      table.text('subject').nullable()
      /** 保有課(担当課) as the document states it; null = the system's department name. */
      table.string('holder_label', 200).nullable()
      /** { rowKey: { label?, hidden? } } for this annex only. */
      table.text('row_overrides').notNullable().defaultTo('{}')
      table.text('extra_rows').notNullable().defaultTo('[]')
      table.index(['system_id'])
    })
  }

  async down() {
    this.schema.dropTable('council_item_annexes')
    this.schema.dropTable('council_items')
    this.schema.dropTable('council_meetings')
  }
}
