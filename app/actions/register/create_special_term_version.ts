import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Infer } from '@vinejs/vine/types'
import SpecialTermSet from '#models/special_term_set'
import SpecialTermClause from '#models/special_term_clause'
import AuditLogger from '#services/audit_logger'
import { renumberLabel } from '#services/register/special_terms_text'
import type { specialTermSetValidator } from '#validators/register/special_terms'
import type { ClauseSetData } from '#database/demo/special_terms_data'
import RowBatch from '#services/row_batch'

export type SpecialTermSetInput = Infer<typeof specialTermSetValidator>

/**
 * Adds a clause set to the library: a new version of an existing set (the
 * contracts signed under older versions keep theirs) or a first version.
 *
 * Stored as written: `number` is the clause's position (1…n), `numberLabel` the number as
 * written (null = the position), `heading` without its parentheses ('' = none, also for the
 * clauses after a heading they share), `items` one per entry with their markers, the
 * subcontracting rule the clause creates and whether it requires staff training.
 *
 * Inside `client` when given (a larger transaction), else in a transaction of its own.
 */
@inject()
export default class CreateSpecialTermVersion {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    code: string,
    input: SpecialTermSetInput | ClauseSetData,
    auditAction:
      'special_terms.create_version' | 'special_terms.create_set' = 'special_terms.create_version',
    client?: TransactionClientContract
  ): Promise<SpecialTermSet> {
    const create = async (trx: TransactionClientContract) => {
      const latest = await SpecialTermSet.query({ client: trx })
        .where('code', code)
        .orderBy('version', 'desc')
        .first()
      const set = await SpecialTermSet.create(
        {
          code,
          version: (latest?.version ?? 0) + 1,
          name: input.name,
          appliesTo: input.appliesTo,
          effectiveFrom:
            'effectiveFrom' in input && input.effectiveFrom
              ? DateTime.fromJSDate(input.effectiveFrom)
              : null,
          notes: 'notes' in input ? (input.notes ?? null) : null,
        },
        { client: trx }
      )
      const renumber = 'renumber' in input && input.renumber === true
      await RowBatch.insert(
        SpecialTermClause,
        input.clauses.map((clause, index) => {
          const written = ('numberLabel' in clause ? clause.numberLabel : null)?.trim() || null
          return {
            setId: set.id,
            number: index + 1,
            numberLabel: written && renumber ? renumberLabel(written, index + 1) : written,
            heading: (clause.heading ?? '')
              .trim()
              .replace(/^[（(]|[）)]$/g, '')
              .trim(),
            body: clause.body,
            items: clause.items ?? [],
            duty: clause.duty ?? null,
            subcontractRule: clause.subcontractRule ?? null,
            // A clause whose duty is staff training requires it, whatever the box says.
            requiresTraining: clause.duty === 'training' || clause.requiresTraining === true,
          }
        }),
        trx
      )
      await this.auditLog.record(
        {
          action: auditAction,
          subject: set,
          details: { code, version: set.version, clauses: input.clauses.length },
        },
        trx
      )
      return set
    }
    return client ? create(client) : db.transaction(create)
  }
}
