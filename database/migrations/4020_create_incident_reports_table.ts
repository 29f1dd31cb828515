import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Incident reports (事故報告) of a contract: what happened and when, the
 * people and data items affected, the follow-up, and the reports to the
 * Personal Information Protection Commission. The reportability decision
 * and deadlines are stored so the list can filter and sort on them.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('incident_reports', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table
        .integer('reported_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('kind', 30).notNullable()
      table.timestamp('occurred_at').nullable()
      table.timestamp('discovered_at').notNullable()
      table.timestamp('reported_to_ward_at').notNullable()
      table.integer('people_affected').nullable()
      table.boolean('people_affected_unknown').notNullable().defaultTo(false)
      table.text('summary').notNullable()
      table.text('cause').nullable()
      table.text('secondary_damage').nullable()
      table.text('measures').nullable()
      table.text('ward_instructions').nullable()
      table.text('follow_up').nullable()
      table.text('publication').nullable()
      table.boolean('financial_damage_risk').notNullable().defaultTo(false)
      table.boolean('improper_purpose_suspected').notNullable().defaultTo(false)
      table.boolean('reportable').notNullable().defaultTo(false)
      table.text('reportable_reasons').notNullable().defaultTo('[]')
      table.date('preliminary_due_on').nullable()
      table.date('final_due_on').nullable()
      table.date('next_due_on').nullable()
      table.timestamp('ppc_preliminary_sent_at').nullable()
      table.timestamp('ppc_final_sent_at').nullable()
      table.timestamp('individuals_notified_at').nullable()
      table.string('notification_method', 20).nullable()
      table.text('notification_note').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['contract_id'])
      table.index(['reportable', 'next_due_on'])
      table.index(['discovered_at'])
    })

    // The items involved, with their name and special-care category as reported.
    this.schema.createTable('incident_report_items', (table) => {
      table.increments('id')
      table
        .integer('incident_report_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('incident_reports')
        .onDelete('CASCADE')
      table
        .integer('data_item_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('data_items')
        .onDelete('SET NULL')
      table.string('name', 100).notNullable()
      table.string('special_care_category', 30).nullable()
      table.unique(['incident_report_id', 'data_item_id'])
    })
  }

  async down() {
    this.schema.dropTable('incident_report_items')
    this.schema.dropTable('incident_reports')
  }
}
