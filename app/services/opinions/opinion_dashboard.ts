import type User from '#models/user'
import OpinionScope from '#builders/opinion_scope'
import OpinionQueries from '#services/opinions/opinion_queries'
import OpinionListQuery, { type OpinionFilters } from '#services/opinions/opinion_list_query'

export interface OpinionDashboardCounts {
  /** What is new for the user, and the list filter that shows exactly those opinions. */
  fresh: { count: number; filter: OpinionFilters; label: 'new' | 'new_received' }
  nearDue: number
  overdue: number
}

/**
 * The opinion panel of the start page: what waits for the user's
 * departments (or, for the opinion office, for everyone). "New" is, for a
 * department, every opinion forwarded to it and not handled there yet (a
 * forwarded opinion is no longer 受付, so counting that status showed 0
 * however many waited); for the opinion office, what is not forwarded yet.
 * Replies awaiting the user's approval are in わたしの仕事 (MyWork).
 */
export default class OpinionDashboard {
  static async countsFor(user: User): Promise<OpinionDashboardCounts> {
    const scope = await OpinionScope.for(user)
    const count = async (filters: OpinionFilters) => {
      const { query } = await OpinionListQuery.scoped(scope, filters)
      const [row] = await query.count('* as total').pojo<{ total: number | string }>()
      return Number(row.total)
    }
    const freshFilter: OpinionFilters = scope.seesAll
      ? { status: 'received' }
      : { handling: 'pending' }
    const [fresh, nearDue, overdue] = await Promise.all([
      // The opinion office's 新着 is わたしの仕事's 受付済・未転送: one read for both.
      scope.seesAll ? OpinionQueries.receivedCount(user) : count(freshFilter),
      count({ due: 'near_due' }),
      count({ due: 'overdue' }),
    ])
    return {
      fresh: { count: fresh, filter: freshFilter, label: scope.seesAll ? 'new_received' : 'new' },
      nearDue,
      overdue,
    }
  }
}
