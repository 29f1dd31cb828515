import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The opinions taken in and not yet forwarded (受付済・未転送), in the order the opinion
 * office's start page lists them: earliest reply due date first, then by reception. At a
 * million opinions PostgreSQL found the first five by reading every received row and sorting
 * them (1,175 rows, 4–6 ms); this partial index holds only the received ones, in that order,
 * so it reads five.
 *
 * PostgreSQL only: SQLite's planner keeps to the status index and sorts (with or without
 * ANALYZE's statistics), which in the embedded database costs no round trip anyway.
 */
export default class extends BaseSchema {
  async up() {
    if (this.db.dialect.name !== 'postgres') return
    this.schema.raw(
      "CREATE INDEX opinions_received_queue_index ON opinions ((due_on IS NULL), due_on, received_at, id) WHERE status = 'received'"
    )
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') return
    this.schema.raw('DROP INDEX opinions_received_queue_index')
  }
}
