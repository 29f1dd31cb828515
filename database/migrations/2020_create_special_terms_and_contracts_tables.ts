import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Special terms library (特記事項, versioned clause sets) and contracts
 * (委託). A subcontract (再委託) is a contract with a parent contract.
 *
 * Columns are listed in the order the tables have always had (later
 * additions last), so the schema stays the one earlier migrations built.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('special_term_sets', (table) => {
      table.increments('id')
      table.string('code', 50).notNullable()
      table.integer('version').notNullable()
      table.string('name', 200).notNullable()
      table.string('applies_to', 20).notNullable()
      table.date('effective_from').nullable()
      table.text('notes').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['code', 'version'])
    })

    this.schema.createTable('special_term_clauses', (table) => {
      table.increments('id')
      table
        .integer('set_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('special_term_sets')
        .onDelete('CASCADE')
      table.integer('number').notNullable()
      table.string('heading', 100).notNullable()
      table.text('body').notNullable()
      table.text('items').nullable()
      table.string('duty', 30).nullable()
      /** The clause number as written (１, 10, 第3条); null = the number. */
      table.string('number_label', 30).nullable()
      /** The subcontracting rule the clause creates (forbidden | no_personal_data_only | prior_written_approval; null = none). */
      table.string('subcontract_rule', 30).nullable()
      /** The clause requires the contractor to train its staff (whatever its main duty): a training record is owed each fiscal year. */
      table.boolean('requires_training').notNullable().defaultTo(false)
      table.unique(['set_id', 'number'])
    })

    this.schema.createTable('contracts', (table) => {
      table.increments('id')
      table
        .integer('system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('personal_data_systems')
        .onDelete('RESTRICT')
      table
        .integer('parent_contract_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table
        .integer('contractor_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('contractors')
        .onDelete('RESTRICT')
      table.string('title', 200).notNullable()
      table.string('selection_method', 20).nullable()
      table.text('undecided_note').nullable()
      table.text('reason').notNullable()
      table.text('tasks').notNullable().defaultTo('[]')
      table.string('period_type', 20).notNullable()
      table.date('starts_on').nullable()
      table.date('ends_on').nullable()
      table.text('period_note').nullable()
      table.text('media').notNullable().defaultTo('[]')
      table.text('ward_measures_operational').notNullable().defaultTo('[]')
      table.text('ward_measures_system').notNullable().defaultTo('[]')
      table.text('contractor_measures_operational').notNullable().defaultTo('[]')
      table.text('contractor_measures_system').notNullable().defaultTo('[]')
      table
        .integer('special_term_set_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('special_term_sets')
        .onDelete('RESTRICT')
      table.boolean('handles_personal_data').notNullable().defaultTo(true)
      table.date('approved_on').nullable()
      table.string('approved_by', 100).nullable()
      table.string('status', 20).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      /** Oversight: how often the contractor reports, and the days it has for the deletion certificate. */
      table.string('report_frequency', 20).nullable()
      table.integer('deletion_certificate_days').notNullable().defaultTo(30)
      /** Whose data the contract processes (printed before the items), as written. */
      table.text('subjects_text').nullable()
      /** Printed after the items (e.g. ※ definitions, 記録するコンピュータ). */
      table.text('items_note').nullable()
      /** 'comma' (ID、氏名), 'lines' (one per line) or 'bullets' (・氏名). */
      table.string('items_layout', 20).notNullable().defaultTo('comma')
      /** { medium: free detail } */
      table.text('media_details').notNullable().defaultTo('{}')
      /** Printed before the dates (e.g. 現行の…契約に基づき、). */
      table.text('period_lead').nullable()
      /** 'day' or 'month' (平成25年6月から…). */
      table.string('starts_on_precision', 10).notNullable().defaultTo('day')
      /** The written approval (文書番号 or date and title) a subcontract was approved with, and who recorded it. */
      table.string('approval_reference', 200).nullable()
      table
        .integer('approved_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      /** The last day of work of a contract not renewed or terminated (the deletion certificate is owed from then). */
      table.date('ended_on').nullable()
      table.string('end_reason', 20).nullable()
      table.index(['system_id'])
      table.index(['contractor_id'])
      table.index(['parent_contract_id'])
    })

    this.schema.createTable('contract_data_items', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('CASCADE')
      table
        .integer('data_item_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('data_items')
        .onDelete('CASCADE')
      table.string('direction', 10).notNullable()
      table.string('group_heading', 300).nullable()
      table.text('note').nullable()
      table.integer('sort_order').notNullable().defaultTo(0)
      table.unique(['contract_id', 'data_item_id', 'direction'])
    })
  }

  async down() {
    this.schema.dropTable('contract_data_items')
    this.defer(async (db) => {
      await db.from('contracts').update({ parent_contract_id: null })
    })
    this.schema.dropTable('contracts')
    this.schema.dropTable('special_term_clauses')
    this.schema.dropTable('special_term_sets')
  }
}
