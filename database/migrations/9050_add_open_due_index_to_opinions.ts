import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The open opinions by due date (issue 19): the statistics count the open
 * ones past their due date on every view, and at a million opinions the
 * status and due_on indexes each led to thousands of row reads. This
 * partial index holds the open opinions only, with every column that count
 * reads (status too, which SQLite otherwise fetches from the row), so both
 * databases answer from the index alone.
 *
 * Raw CREATE INDEX on both databases: a knex alterTable on SQLite may rebuild
 * the opinions table, and a rebuild drops its triggers (migration 6300). The
 * statuses are written out: SQLite uses the index only for a query that
 * repeats this WHERE term (OpinionStatistics does).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      "CREATE INDEX opinions_open_due_index ON opinions (due_on, fiscal_year, lead_department_id, replied_at, status, id) WHERE status IN ('received', 'forwarded', 'awaiting_approval')"
    )
  }

  async down() {
    this.schema.raw('DROP INDEX opinions_open_due_index')
  }
}
