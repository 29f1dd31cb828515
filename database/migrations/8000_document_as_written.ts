import { BaseSchema } from '@adonisjs/lucid/schema'
import { DEFAULT_TEMPLATE_ROWS, TEMPLATE_KINDS, TEMPLATE_NAMES } from '#enums/document_template'

/**
 * Council documents as written (issue 12): document templates (labels, order,
 * always-printed rows, numbering) the privacy office edits; per-annex 件名,
 * captions, organisation names and row overrides; data items grouped with
 * headings and notes; contracts with their own subjects, item layout, media
 * detail and period wording; clauses with optional headings and their
 * number as written.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('document_templates', (table) => {
      table.increments('id')
      table.string('kind', 30).notNullable().unique()
      table.string('name', 200).notNullable()
      table.text('rows').notNullable()
      table.string('numbering', 20).notNullable().defaultTo('halfwidth')
      table.text('parts').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.alterTable('council_items', (table) => {
      /** 担当部課 as the document states it (e.g. 区長室区政情報課); null = the department's name. */
      table.string('department_label', 200).nullable()
    })

    this.schema.alterTable('council_item_annexes', (table) => {
      /** The annex's own 件名; null = the item's subject (system) or the contract's title. */
      table.text('subject').nullable()
      /** 保有課(担当課) as the document states it; null = the system's department name. */
      table.string('holder_label', 200).nullable()
      /** { rowKey: { label?, hidden? } } for this annex only. */
      table.text('row_overrides').notNullable().defaultTo('{}')
    })

    this.schema.alterTable('data_items', (table) => {
      table.string('group_heading', 300).nullable()
      table.text('note').nullable()
    })

    this.schema.alterTable('contract_data_items', (table) => {
      table.string('group_heading', 300).nullable()
      table.text('note').nullable()
      table.integer('sort_order').notNullable().defaultTo(0)
    })

    this.schema.alterTable('contracts', (table) => {
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
    })

    this.schema.alterTable('special_term_clauses', (table) => {
      /** The clause number as written (１, 10, 第3条); null = the number. */
      table.string('number_label', 30).nullable()
    })

    this.defer(async (db) => {
      const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
      for (const kind of TEMPLATE_KINDS) {
        await db.table('document_templates').insert({
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
    this.schema.alterTable('special_term_clauses', (table) => table.dropColumn('number_label'))
    this.schema.alterTable('contracts', (table) => {
      table.dropColumns('subjects_text', 'items_note', 'items_layout', 'media_details', 'period_lead', 'starts_on_precision')
    })
    this.schema.alterTable('contract_data_items', (table) => table.dropColumns('group_heading', 'note', 'sort_order'))
    this.schema.alterTable('data_items', (table) => table.dropColumns('group_heading', 'note'))
    this.schema.alterTable('council_item_annexes', (table) => table.dropColumns('subject', 'holder_label', 'row_overrides'))
    this.schema.alterTable('council_items', (table) => table.dropColumn('department_label'))
    this.schema.dropTable('document_templates')
  }
}
