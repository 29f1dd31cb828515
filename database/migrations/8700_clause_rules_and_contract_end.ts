import { BaseSchema } from '@adonisjs/lucid/schema'
import { suggestRequiresTraining, suggestSubcontractRule } from '#services/register/clause_rules'

/**
 * Legal duties computed and enforced (issue 13, points 1 and 2):
 *   - special_term_clauses.subcontract_rule: the subcontracting rule a clause creates
 *     (forbidden | no_personal_data_only | prior_written_approval; null = none);
 *   - special_term_clauses.requires_training: the clause requires the contractor to train its
 *     staff (whatever its main duty), so the contract owes a training record each fiscal year;
 *   - contracts.approval_reference / approved_by_user_id: the written approval (文書番号 or date
 *     and title) a subcontract was approved with, and who recorded it;
 *   - contracts.ended_on / end_reason: the last day of work of a contract whose period was not
 *     renewed or that was terminated (the deletion certificate is owed from then).
 *
 * Clauses already stored get the rule and the training flag their text obviously states
 * (the same suggestion the special-terms form makes), so contracts signed under them are held
 * to their terms without a new version of the set.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('special_term_clauses', (table) => {
      table.string('subcontract_rule', 30).nullable()
      table.boolean('requires_training').notNullable().defaultTo(false)
    })
    this.schema.alterTable('contracts', (table) => {
      table.string('approval_reference', 200).nullable()
      table.integer('approved_by_user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL')
      table.date('ended_on').nullable()
      table.string('end_reason', 20).nullable()
    })
    this.defer(async (db) => {
      const clauses = await db.from('special_term_clauses').select('id', 'heading', 'body', 'items', 'duty')
      for (const clause of clauses) {
        const items: string[] = clause.items ? JSON.parse(clause.items) : []
        const text = { heading: clause.heading, body: clause.body, items }
        const rule = suggestSubcontractRule(text)
        const training = clause.duty === 'training' || suggestRequiresTraining(text)
        if (rule || training) {
          await db.from('special_term_clauses').where('id', clause.id).update({ subcontract_rule: rule, requires_training: training })
        }
      }
    })
  }

  async down() {
    this.schema.alterTable('contracts', (table) => {
      table.dropForeign(['approved_by_user_id'])
      table.dropColumn('approval_reference')
      table.dropColumn('approved_by_user_id')
      table.dropColumn('ended_on')
      table.dropColumn('end_reason')
    })
    this.schema.alterTable('special_term_clauses', (table) => {
      table.dropColumn('subcontract_rule')
      table.dropColumn('requires_training')
    })
  }
}
