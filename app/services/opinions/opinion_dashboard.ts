import type User from '#models/user'
import OpinionScope from '#builders/opinion_scope'
import OpinionListQuery from '#services/opinions/opinion_list_query'

export interface OpinionDashboardCounts {
  received: number
  nearDue: number
  overdue: number
  awaitingMyApproval: number
}

/**
 * The opinion panel of the start page: what waits for the user's
 * departments (or, for the opinion office, for everyone).
 */
export default class OpinionDashboard {
  static async countsFor(user: User): Promise<OpinionDashboardCounts> {
    const scope = await OpinionScope.for(user)
    const count = async (filters: Parameters<typeof OpinionListQuery.scoped>[1]) => {
      const { query } = await OpinionListQuery.scoped(scope, filters)
      const [row] = await query.count('* as total').pojo<{ total: number | string }>()
      return Number(row.total)
    }
    let awaitingMyApproval = 0
    if (user.role === 'supervisor') {
      const [row] = await scope
        .repliesAwaitingApproval()
        .count('* as total')
        .pojo<{ total: number | string }>()
      awaitingMyApproval = Number(row.total)
    }
    return {
      received: await count({ status: 'received' }),
      nearDue: await count({ due: 'near_due' }),
      overdue: await count({ due: 'overdue' }),
      awaitingMyApproval,
    }
  }
}
