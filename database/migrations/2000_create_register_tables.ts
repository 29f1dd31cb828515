import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The register: personal-data systems (登録業務), the groups of people whose
 * data they hold (個人の範囲), their data items (記録項目), and the version
 * history of each system.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('personal_data_systems', (table) => {
      table.increments('id')
      table
        .integer('department_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('departments')
        .onDelete('RESTRICT')
      table.string('name', 200).notNullable()
      table.string('business_name', 200).nullable()
      table.text('purpose').notNullable()
      table.text('subjects_summary').nullable()
      table.text('description').nullable()
      table.text('recording_computer').nullable()
      table.text('media').notNullable().defaultTo('[]')
      table.string('lifecycle', 20).notNullable()
      table.date('started_on').nullable()
      table.date('retired_on').nullable()
      table.text('change_reason').nullable()
      table.text('change_content').nullable()
      table.text('development_measures').nullable()
      table.text('change_schedule').nullable()
      table.text('collection_method').nullable()
      table.text('regular_recipients').nullable()
      table.string('file_type', 10).notNullable().defaultTo('computer')
      table.boolean('published_in_file_register').notNullable().defaultTo(false)
      table.text('other_law_procedures').nullable()
      table.integer('version').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['department_id'])
    })

    this.schema.createTable('system_subject_groups', (table) => {
      table.increments('id')
      table
        .integer('system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('personal_data_systems')
        .onDelete('CASCADE')
      table.integer('number').notNullable()
      table.text('description').notNullable()
      table.unique(['system_id', 'number'])
    })

    this.schema.createTable('data_items', (table) => {
      table.increments('id')
      table
        .integer('system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('personal_data_systems')
        .onDelete('CASCADE')
      table
        .integer('subject_group_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('system_subject_groups')
        .onDelete('SET NULL')
      table.string('name', 100).notNullable()
      table.string('special_care_category', 30).nullable()
      table.string('prohibited_category', 30).nullable()
      table.date('prohibited_approved_on').nullable()
      table.string('prohibited_approved_by', 100).nullable()
      table.text('prohibited_approval_reference').nullable()
      table.integer('sort_order').notNullable().defaultTo(0)
      /** Items grouped under a heading as the council document writes them, with a note. */
      table.string('group_heading', 300).nullable()
      table.text('note').nullable()
      table.index(['system_id'])
    })

    this.schema.createTable('system_versions', (table) => {
      table.increments('id')
      table
        .integer('system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('personal_data_systems')
        .onDelete('CASCADE')
      table.integer('version').notNullable()
      table.text('snapshot').notNullable()
      table.string('summary', 200).notNullable()
      table
        .integer('changed_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.unique(['system_id', 'version'])
    })
  }

  async down() {
    this.schema.dropTable('system_versions')
    this.schema.dropTable('data_items')
    this.schema.dropTable('system_subject_groups')
    this.schema.dropTable('personal_data_systems')
  }
}
