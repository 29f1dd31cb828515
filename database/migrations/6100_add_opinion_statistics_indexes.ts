import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Covering indexes for the 区民の声 statistics (bench:opinions, 1,000,000
 * opinions): the two GROUP BYs read every column they need from
 * opinions_statistics_index (an index-only scan instead of the wide rows
 * with their text and encrypted fields), and the per-department join reads
 * opinion_departments by opinion_id with department_id inside the index.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('opinions', (table) => {
      table.index(
        ['fiscal_year', 'received_month', 'channel', 'kind', 'status', 'topic_id', 'lead_department_id', 'reply_open_days', 'due_on', 'replied_at', 'id'],
        'opinions_statistics_index'
      )
    })
  }

  async down() {
    this.schema.alterTable('opinions', (table) => {
      table.dropIndex([], 'opinions_statistics_index')
    })
  }
}
