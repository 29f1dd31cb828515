import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Submissions are checked by the ward (issue 18):
 * - a duty the contractor submitted for is 提出済・確認待ち ('submitted', with the day) until
 *   the ward confirms it or sends it back ('returned', with the reason);
 * - a periodic report is reviewed like a deletion certificate, and a report sent back can be
 *   followed by a new one for the same period (one period, several rows: the history);
 * - a contract can be the call-center contract: its contractor's users read the FAQ entries
 *   marked for the call center, of every department.
 * Reports filed before this change had already satisfied their duty: they count as verified.
 * A certificate still awaiting its check puts its duty in 'submitted'.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('oversight_duties', (table) => {
      table.date('submitted_on').nullable()
      table.text('returned_reason').nullable()
    })

    this.schema.alterTable('periodic_reports', (table) => {
      table.string('status', 20).notNullable().defaultTo('submitted')
      table.date('reviewed_on').nullable()
      table
        .integer('reviewed_by_user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.text('rejection_reason').nullable()
    })
    // One report per period that is not sent back; those sent back stay as history.
    this.schema.alterTable('periodic_reports', (table) => {
      table.dropUnique(['contract_id', 'period'])
    })
    this.schema.raw(
      "CREATE UNIQUE INDEX periodic_reports_live_period_unique ON periodic_reports (contract_id, period) WHERE status <> 'rejected'"
    )

    this.schema.alterTable('contracts', (table) => {
      table.boolean('call_center').notNullable().defaultTo(false)
    })

    this.defer(async (db) => {
      await db.from('periodic_reports').update({ status: 'verified' })
      const pending = await db
        .from('deletion_certificates')
        .where('status', 'submitted')
        .select('id', 'contract_id')
        .orderBy('id')
      for (const certificate of pending) {
        await db
          .from('oversight_duties')
          .where('contract_id', certificate.contract_id)
          .where('kind', 'return_erasure')
          .where('state', 'open')
          .update({
            state: 'submitted',
            evidence_type: 'deletion_certificate',
            evidence_id: certificate.id,
          })
      }
    })
  }

  async down() {
    this.defer(async (db) => {
      await db
        .from('oversight_duties')
        .whereIn('state', ['submitted', 'returned'])
        .update({ state: 'open', evidence_type: null, evidence_id: null })
    })
    this.schema.alterTable('contracts', (table) => {
      table.dropColumn('call_center')
    })
    this.schema.raw('DROP INDEX periodic_reports_live_period_unique')
    this.schema.alterTable('periodic_reports', (table) => {
      table.dropForeign(['reviewed_by_user_id'])
      table.dropColumn('reviewed_by_user_id')
      table.dropColumn('status')
      table.dropColumn('reviewed_on')
      table.dropColumn('rejection_reason')
    })
    this.schema.alterTable('periodic_reports', (table) => {
      table.unique(['contract_id', 'period'])
    })
    this.schema.alterTable('oversight_duties', (table) => {
      table.dropColumn('submitted_on')
      table.dropColumn('returned_reason')
    })
  }
}
