import { inject } from '@adonisjs/core'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import SpecialTermSet from '#models/special_term_set'
import AuditLogger from '#services/audit_logger'
import CreateSpecialTermVersion, {
  type SpecialTermSetInput,
} from '#actions/register/create_special_term_version'

/**
 * A new clause set from scratch: a code of its own (never one of an existing set, so its
 * versions stay apart from theirs) and version 1. Inside `client` when given (a larger
 * transaction, e.g. a council document's import).
 */
@inject()
export default class CreateSpecialTermSet {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    input: SpecialTermSetInput,
    client?: TransactionClientContract
  ): Promise<SpecialTermSet> {
    return new CreateSpecialTermVersion(this.auditLog).handle(
      await CreateSpecialTermSet.newCode(client),
      input,
      'special_terms.create_set',
      client
    )
  }

  /** A code no set has yet, e.g. set-20261122-3fa9c1 (read inside `client` when given). */
  static async newCode(client?: TransactionClientContract): Promise<string> {
    for (;;) {
      const code = `set-${DateTime.now().toFormat('yyyyLLdd')}-${randomBytes(3).toString('hex')}`
      if (!(await SpecialTermSet.findBy('code', code, client ? { client } : undefined))) {
        return code
      }
    }
  }
}
