import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Japanese full-text search without extensions (no pg_bigm, no pg_trgm
 * needed): an inverted index of normalised character bigrams, one row per
 * distinct bigram of a document (`BigramSearch`). The primary key serves the
 * lookups (doc_type, bigram → doc_ids, covering); the second index serves
 * re-indexing and removal of one document. It leads with doc_id, not
 * doc_type: as (doc_type, doc_id) SQLite's planner picks it for
 * `WHERE doc_type = ? AND bigram IN (…) GROUP BY doc_id` (to skip the sort)
 * and reads every row of the document type instead of a few key ranges.
 */
export default class extends BaseSchema {
  protected tableName = 'search_bigrams'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('doc_type', 30).notNullable()
      table.integer('doc_id').notNullable()
      table.string('bigram', 8).notNullable()
      table.primary(['doc_type', 'bigram', 'doc_id'])
      table.index(['doc_id', 'doc_type'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
