import Contract from '#models/contract'
import SpecialTermClause from '#models/special_term_clause'
import SpecialTermSet from '#models/special_term_set'

/** The reads of the special-terms library. */
export default class SpecialTermQueries {
  /** Every set and version, with how many clauses each has and how many contracts use it. */
  static async library() {
    const sets = await SpecialTermSet.query().orderBy('code').orderBy('version', 'desc')
    // Counted apart: withCount would inherit the relation's ORDER BY, which PostgreSQL refuses in an aggregate.
    const counts = await SpecialTermClause.query()
      .groupBy('setId')
      .select('setId')
      .count('* as total')
    const clauseCounts = new Map(counts.map((row) => [row.setId, Number(row.$extras.total)]))
    const usage = await Contract.query()
      .whereNotNull('specialTermSetId')
      .groupBy('specialTermSetId')
      .select('specialTermSetId')
      .count('* as total')
    const contractsUsing = new Map(
      usage.map((row) => [row.specialTermSetId, Number(row.$extras.total)])
    )
    return { sets, clauseCounts, contractsUsing }
  }

  /** One set (version) with its clauses in order. */
  static async withClauses(id: number) {
    return SpecialTermSet.query().where('id', id).preload('clauses').firstOrFail()
  }
}
