import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion, {
  type SpecialTermSetInput,
} from '#actions/register/create_special_term_version'

/**
 * A new clause set from scratch: a code of its own (never one of an existing set, so its
 * versions stay apart from theirs) and version 1.
 */
export default class CreateSpecialTermSet {
  async handle(input: SpecialTermSetInput): Promise<SpecialTermSet> {
    return new CreateSpecialTermVersion().handle(
      await this.#newCode(),
      input,
      'special_terms.create_set'
    )
  }

  /** e.g. set-20261122-3fa9c1 */
  async #newCode(): Promise<string> {
    for (;;) {
      const code = `set-${DateTime.now().toFormat('yyyyLLdd')}-${randomBytes(3).toString('hex')}`
      if (!(await SpecialTermSet.findBy('code', code))) return code
    }
  }
}
