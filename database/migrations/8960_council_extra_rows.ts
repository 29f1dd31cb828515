import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Rows a real document has that the templates do not model (根拠法令, 委託先の選定方法,
 * 実施時期, 再委託の有無, 備考 …), kept as written per item: on 事業の概要 (council_items)
 * and per annex (council_item_annexes). JSON list of { label, value, after } in a text
 * column, where `after` is the key of the template row the row follows ('' = at the end,
 * '^' = first).
 */
export default class extends BaseSchema {
  async up() {
    for (const table of ['council_items', 'council_item_annexes']) {
      this.schema.alterTable(table, (t) => {
        t.text('extra_rows').notNullable().defaultTo('[]')
      })
    }
  }

  async down() {
    for (const table of ['council_items', 'council_item_annexes']) {
      this.schema.alterTable(table, (t) => {
        t.dropColumn('extra_rows')
      })
    }
  }
}
