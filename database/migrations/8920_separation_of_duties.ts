import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Separation of duties (issue 14 item 4): who drafted a council item or a
 * reply, and who asked for its approval, so that none of them approves it.
 * `drafter_user_ids` (JSON list) holds everyone who wrote or edited it.
 * Existing items take their drafters from the audit log; existing replies
 * their last drafter.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('council_items', (table) => {
      table.integer('created_by_user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.text('drafter_user_ids').nullable()
    })
    this.schema.alterTable('opinion_replies', (table) => {
      table.integer('requested_by_user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.text('drafter_user_ids').nullable()
    })
    this.defer(async (db) => {
      const logs = await db
        .from('audit_logs')
        .where('subject_type', 'CouncilItem')
        .whereIn('action', ['council_item.create', 'council_item.update'])
        .where('actor_type', 'user')
        .whereNotNull('actor_id')
        .orderBy('id')
        .select('subject_id', 'actor_id', 'action')
      const drafters = new Map<number, { creator: number | null; ids: number[] }>()
      for (const log of logs) {
        const itemId = Number(log.subject_id)
        const entry = drafters.get(itemId) ?? { creator: null, ids: [] }
        if (log.action === 'council_item.create' && entry.creator === null) entry.creator = Number(log.actor_id)
        if (!entry.ids.includes(Number(log.actor_id))) entry.ids.push(Number(log.actor_id))
        drafters.set(itemId, entry)
      }
      for (const [itemId, entry] of drafters) {
        await db.from('council_items').where('id', itemId).update({ created_by_user_id: entry.creator, drafter_user_ids: JSON.stringify(entry.ids) })
      }
      const replies = await db.from('opinion_replies').whereNotNull('drafted_by_user_id').select('id', 'drafted_by_user_id')
      for (const reply of replies) {
        await db.from('opinion_replies').where('id', reply.id).update({ drafter_user_ids: JSON.stringify([Number(reply.drafted_by_user_id)]) })
      }
    })
  }

  async down() {
    this.schema.alterTable('opinion_replies', (table) => {
      table.dropColumn('requested_by_user_id')
      table.dropColumn('drafter_user_ids')
    })
    this.schema.alterTable('council_items', (table) => {
      table.dropColumn('created_by_user_id')
      table.dropColumn('drafter_user_ids')
    })
  }
}
