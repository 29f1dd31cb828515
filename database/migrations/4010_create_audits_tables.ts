import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * On-site audits (立入調査) of contracts and subcontracts: the auditors, the
 * checklist generated from the contract's clauses and measures (texts kept
 * as they were on the audit day), findings, corrective actions and the
 * uploaded attachments (files live on the private drive disk).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('oversight_audits', (table) => {
      table.increments('id')
      table
        .integer('contract_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('contracts')
        .onDelete('RESTRICT')
      table.date('audited_on').notNullable()
      table.integer('fiscal_year').notNullable()
      table.string('status', 20).notNullable()
      table.timestamp('completed_at').nullable()
      table
        .integer('special_term_set_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('special_term_sets')
        .onDelete('SET NULL')
      table
        .integer('created_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['contract_id', 'fiscal_year'])
    })

    this.schema.createTable('oversight_audit_auditors', (table) => {
      table.increments('id')
      table
        .integer('audit_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oversight_audits')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.string('full_name', 100).notNullable()
      table.string('department_name', 200).nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.unique(['audit_id', 'user_id'])
    })

    this.schema.createTable('oversight_audit_checklist_lines', (table) => {
      table.increments('id')
      table
        .integer('audit_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oversight_audits')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table.string('source', 30).notNullable()
      table.integer('number').notNullable()
      table.string('heading', 100).nullable()
      table.text('text').notNullable()
      table.string('answer', 20).nullable()
      table.text('note').nullable()
      table.unique(['audit_id', 'position'])
    })

    this.schema.createTable('oversight_audit_findings', (table) => {
      table.increments('id')
      table
        .integer('audit_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oversight_audits')
        .onDelete('CASCADE')
      table
        .integer('line_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('oversight_audit_checklist_lines')
        .onDelete('SET NULL')
      table.integer('position').notNullable().defaultTo(0)
      table.text('detail').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['audit_id'])
    })

    this.schema.createTable('oversight_audit_corrective_actions', (table) => {
      table.increments('id')
      table
        .integer('audit_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oversight_audits')
        .onDelete('CASCADE')
      table
        .integer('line_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('oversight_audit_checklist_lines')
        .onDelete('SET NULL')
      table.integer('position').notNullable().defaultTo(0)
      table.text('measure').notNullable()
      table.string('owner', 100).notNullable()
      table.date('due_on').notNullable()
      table.date('done_on').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['audit_id'])
      table.index(['done_on', 'due_on'])
    })

    this.schema.createTable('oversight_audit_attachments', (table) => {
      table.increments('id')
      table
        .integer('audit_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oversight_audits')
        .onDelete('CASCADE')
      table.string('storage_key', 200).notNullable().unique()
      table.string('original_name', 255).notNullable()
      table.string('content_type', 50).notNullable()
      table.integer('size').notNullable()
      table.string('caption', 200).nullable()
      table
        .integer('uploaded_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['audit_id'])
    })
  }

  async down() {
    this.schema.dropTable('oversight_audit_attachments')
    this.schema.dropTable('oversight_audit_corrective_actions')
    this.schema.dropTable('oversight_audit_findings')
    this.schema.dropTable('oversight_audit_checklist_lines')
    this.schema.dropTable('oversight_audit_auditors')
    this.schema.dropTable('oversight_audits')
  }
}
