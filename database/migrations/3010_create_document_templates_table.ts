import { BaseSchema } from '@adonisjs/lucid/schema'
import { DEFAULT_TEMPLATE_ROWS, TEMPLATE_KINDS, TEMPLATE_NAMES } from '#enums/document_template'

/**
 * Council document templates (issue 12): labels, order, always-printed rows
 * and numbering of each kind of document, edited by the privacy office.
 * One row per kind, created with the default rows.
 */
export default class extends BaseSchema {
  protected tableName = 'document_templates'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('kind', 30).notNullable().unique()
      table.string('name', 200).notNullable()
      table.text('rows').notNullable()
      table.string('numbering', 20).notNullable().defaultTo('halfwidth')
      table.text('parts').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.defer(async (db) => {
      const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
      for (const kind of TEMPLATE_KINDS) {
        await db.table(this.tableName).insert({
          kind,
          name: TEMPLATE_NAMES[kind],
          rows: JSON.stringify(DEFAULT_TEMPLATE_ROWS[kind]),
          numbering: 'halfwidth',
          parts: '{}',
          created_at: now,
          updated_at: now,
        })
      }
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
