import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import SpecialTermSet from '#models/special_term_set'
import SpecialTermClause from '#models/special_term_clause'
import AuditLogger from '#services/audit_logger'
import type { specialTermSetValidator } from '#validators/register'
import type { ClauseSetData } from '#database/demo/special_terms_data'

export type SpecialTermSetInput = Infer<typeof specialTermSetValidator>

/**
 * Adds a clause set to the library: a new version of an existing set (the
 * contracts signed under older versions keep theirs) or a first version.
 */
export default class CreateSpecialTermVersion {
  async handle(code: string, input: SpecialTermSetInput | ClauseSetData): Promise<SpecialTermSet> {
    return db.transaction(async (trx) => {
      const latest = await SpecialTermSet.query({ client: trx }).where('code', code).orderBy('version', 'desc').first()
      const set = await SpecialTermSet.create(
        {
          code,
          version: (latest?.version ?? 0) + 1,
          name: input.name,
          appliesTo: input.appliesTo,
          effectiveFrom: 'effectiveFrom' in input && input.effectiveFrom ? DateTime.fromJSDate(input.effectiveFrom) : null,
          notes: 'notes' in input ? (input.notes ?? null) : null,
        },
        { client: trx }
      )
      for (const [index, clause] of input.clauses.entries()) {
        await SpecialTermClause.create(
          {
            setId: set.id,
            number: index + 1,
            heading: clause.heading.replace(/^[（(]|[）)]$/g, ''),
            body: clause.body,
            items: clause.items ?? [],
            duty: clause.duty ?? null,
          },
          { client: trx }
        )
      }
      await AuditLogger.record({ action: 'special_terms.create_version', subject: set, details: { code, version: set.version } }, trx)
      return set
    })
  }
}
