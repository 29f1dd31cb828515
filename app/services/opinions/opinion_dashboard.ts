import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
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
    const count = async (filters: Parameters<typeof OpinionListQuery.filtered>[1]) => {
      const { query } = await OpinionListQuery.filtered(user, filters)
      const [row] = await query.count('* as total').pojo<{ total: number | string }>()
      return Number(row.total)
    }
    let awaitingMyApproval = 0
    if (user.role === 'supervisor') {
      const departments = (await user.visibleDepartmentIds()) ?? []
      if (departments.length > 0) {
        const [row] = await db
          .from('opinion_replies')
          .where('status', 'awaiting_approval')
          .whereIn('department_id', departments)
          .count('* as total')
        awaitingMyApproval = Number(row.total)
      }
    }
    return {
      received: await count({ status: 'received' }),
      nearDue: await count({ due: 'near_due' }),
      overdue: await count({ due: 'overdue' }),
      awaitingMyApproval,
    }
  }
}
