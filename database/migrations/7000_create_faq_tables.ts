import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The FAQ knowledge base (よくある質問と回答, seed 000): entries owned by a
 * department, and their versions. An entry row holds the working copy that
 * staff edit; every request for approval freezes it as a version, and the
 * approved version is what citizens read (`published_version_id`) until the
 * next approval. So a change waiting for the supervisor never shows on the
 * citizen site.
 *
 * `published_version_id` has no foreign key: the two tables point at each
 * other, and SQLite cannot add a constraint to an existing table. Versions
 * are never deleted while their entry exists, so it cannot dangle.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('faq_entries', (table) => {
      table.increments('id')
      table.string('legacy_id', 60).nullable().unique()
      table
        .integer('department_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('departments')
        .onDelete('RESTRICT')
      table
        .integer('topic_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('topics')
        .onDelete('SET NULL')
      table.string('question', 500).notNullable()
      table.text('answer').notNullable()
      table.string('keywords', 500).notNullable().defaultTo('')
      table.text('related_links').notNullable().defaultTo('[]')
      table.text('internal_notes').nullable()
      table.boolean('visible_to_call_center').notNullable().defaultTo(false)
      table.string('status', 20).notNullable()
      table.integer('published_version_id').unsigned().nullable()
      table.timestamp('published_at').nullable()
      table
        .integer('created_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table
        .integer('updated_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['department_id', 'id'])
      table.index(['status', 'id'])
      table.index(['published_version_id'])
      table.index(['topic_id'])
    })

    this.schema.createTable('faq_versions', (table) => {
      table.increments('id')
      table
        .integer('faq_entry_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('faq_entries')
        .onDelete('CASCADE')
      table.integer('version').notNullable()
      table
        .integer('topic_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('topics')
        .onDelete('SET NULL')
      table.string('question', 500).notNullable()
      table.text('answer').notNullable()
      table.string('keywords', 500).notNullable().defaultTo('')
      table.text('related_links').notNullable().defaultTo('[]')
      table.text('internal_notes').nullable()
      table.boolean('visible_to_call_center').notNullable().defaultTo(false)
      table.string('state', 20).notNullable()
      table
        .integer('requested_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('requested_at').nullable()
      table
        .integer('decided_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('decided_at').nullable()
      table.text('decision_comment').nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['faq_entry_id', 'version'])
      table.index(['topic_id'])
    })
  }

  async down() {
    this.schema.dropTable('faq_versions')
    this.schema.dropTable('faq_entries')
  }
}
