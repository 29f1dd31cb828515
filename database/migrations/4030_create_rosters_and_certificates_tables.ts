import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What a contractor submits for a contract: handler rosters (取扱責任者及び
 * 取扱者名簿, one row per submitted version, with its members), deletion
 * certificates (消去証明書) and periodic reports (定期報告). Files live on
 * the private drive disk under random keys.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('handler_rosters', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table.integer('version').notNullable()
      table.date('submitted_on').notNullable()
      table
        .integer('submitted_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('notes').nullable()
      table.date('acknowledged_on').nullable()
      table
        .integer('acknowledged_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['contract_id', 'version'])
    })

    // 取扱責任者 and 取扱者 of a roster version (contractor staff, not citizens' data).
    this.schema.createTable('roster_members', (table) => {
      table.increments('id')
      table
        .integer('handler_roster_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('handler_rosters')
        .onDelete('CASCADE')
      table.string('kind', 20).notNullable()
      table.string('name', 100).notNullable()
      table.string('role', 100).nullable()
      table.date('trained_on').nullable()
      table.integer('sort_order').notNullable().defaultTo(0)
      table.index(['handler_roster_id'])
    })

    this.schema.createTable('deletion_certificates', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table.string('method', 30).notNullable()
      table.text('media').notNullable().defaultTo('[]')
      table.date('erased_on').notNullable()
      table.text('notes').nullable()
      table.string('storage_key', 200).notNullable().unique()
      table.string('original_name', 255).notNullable()
      table.integer('size').notNullable()
      table.string('status', 20).notNullable().defaultTo('submitted')
      table
        .integer('submitted_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.date('reviewed_on').nullable()
      table
        .integer('reviewed_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('rejection_reason').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['contract_id'])
    })

    this.schema.createTable('periodic_reports', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table.string('period', 7).notNullable()
      table.integer('subscribers').nullable()
      table.integer('deliveries').nullable()
      table.text('notes').nullable()
      table.string('storage_key', 200).nullable().unique()
      table.string('original_name', 255).nullable()
      table.integer('size').nullable()
      table.date('submitted_on').notNullable()
      table
        .integer('submitted_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['contract_id', 'period'])
    })
  }

  async down() {
    this.schema.dropTable('periodic_reports')
    this.schema.dropTable('deletion_certificates')
    this.schema.dropTable('roster_members')
    this.schema.dropTable('handler_rosters')
  }
}
