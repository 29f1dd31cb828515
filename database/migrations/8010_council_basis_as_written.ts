import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Ordinance articles (条例の根拠) now print as written: the form no longer strips a typed ◇ and
 * the document no longer adds one. Items saved before always printed ◇, so their stored
 * articles (and the frozen documents of decided items) get it written in, and print unchanged.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      const mark = (articles: string[]) => articles.map((article) => (article.startsWith('◇') ? article : `◇${article}`))
      const rows = await db.from('council_items').select('id', 'basis', 'frozen_document')
      for (const row of rows) {
        const basis = JSON.parse(row.basis ?? '[]') as Array<{ kind: string; articles: string[] }>
        const frozen = row.frozen_document ? JSON.parse(row.frozen_document) : null
        for (const entry of [...basis, ...(frozen?.basis ?? [])]) entry.articles = mark(entry.articles ?? [])
        await db
          .from('council_items')
          .where('id', row.id)
          .update({ basis: JSON.stringify(basis), frozen_document: frozen ? JSON.stringify(frozen) : null })
      }
    })
  }

  async down() {}
}
