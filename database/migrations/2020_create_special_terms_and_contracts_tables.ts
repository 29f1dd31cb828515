import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Special terms library (特記事項, versioned clause sets) and contracts
 * (委託). A subcontract (再委託) is a contract with a parent contract.
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
      table.integer('set_id').unsigned().notNullable().references('id').inTable('special_term_sets').onDelete('CASCADE')
      table.integer('number').notNullable()
      table.string('heading', 100).notNullable()
      table.text('body').notNullable()
      table.text('items').nullable()
      table.string('duty', 30).nullable()
      table.unique(['set_id', 'number'])
    })

    this.schema.createTable('contracts', (table) => {
      table.increments('id')
      table.integer('system_id').unsigned().notNullable().references('id').inTable('personal_data_systems').onDelete('RESTRICT')
      table.integer('parent_contract_id').unsigned().nullable().references('id').inTable('contracts').onDelete('RESTRICT')
      table.integer('contractor_id').unsigned().nullable().references('id').inTable('contractors').onDelete('RESTRICT')
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
      table.integer('special_term_set_id').unsigned().nullable().references('id').inTable('special_term_sets').onDelete('RESTRICT')
      table.boolean('handles_personal_data').notNullable().defaultTo(true)
      table.date('approved_on').nullable()
      table.string('approved_by', 100).nullable()
      table.string('status', 20).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['system_id'])
      table.index(['contractor_id'])
      table.index(['parent_contract_id'])
    })

    this.schema.createTable('contract_data_items', (table) => {
      table.increments('id')
      table.integer('contract_id').unsigned().notNullable().references('id').inTable('contracts').onDelete('CASCADE')
      table.integer('data_item_id').unsigned().notNullable().references('id').inTable('data_items').onDelete('CASCADE')
      table.string('direction', 10).notNullable()
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
