import type { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionQueries from '#services/opinions/opinion_queries'
import type {
  MyWorkContext,
  MyWorkRow,
  MyWorkSource,
  MyWorkUrgency,
} from '#services/my_work/my_work_section'

/** Roles that record a department's handling of a forwarded opinion (OpinionPolicy.handle). */
const HANDLING_ROLES = ['department_staff', 'supervisor']

/** Where a reply due date stands today (Opinion.dueStateOn's thresholds). */
export function replyUrgency(dueOn: DateTime | null, now: DateTime): MyWorkUrgency {
  if (!dueOn) return 'waiting'
  const day = dueOn.toISODate()!
  if (day < now.toISODate()!) return 'overdue'
  if (day <= OpinionSchedule.nearDueThreshold(now).toISODate()!) return 'near_due'
  return 'waiting'
}

export function totalOf(rows: Array<{ total: number | string }>): number {
  return Number(rows[0]?.total ?? 0)
}

/** The row of an opinion: 受付番号 and subject. */
function opinionTitle(opinion: Opinion) {
  return `${opinion.referenceNo} ${opinion.subject}`
}

/**
 * 所属に転送された意見等（未対応）: every forward to one of the user's
 * departments (own and below, OpinionScope) not yet handled there, of an
 * opinion not closed; earliest reply due date first. One row per forward,
 * with its 担当者; the user's own ones are counted apart.
 */
export const forwardedOpinions: MyWorkSource = {
  key: 'forwarded_opinions',

  appliesTo: ({ user }) => HANDLING_ROLES.includes(user.role),

  async count(context) {
    const { query } = await pendingForwards(context)
    return totalOf(await query.count('* as total').pojo())
  },

  async rows(context, limit, offset) {
    const { query } = await pendingForwards(context)
    const forwards = await query
      .select('opinion_departments.*')
      .orderByRaw('opinions.due_on IS NULL')
      .orderBy('opinions.due_on')
      .orderBy('opinion_departments.forwarded_at')
      .orderBy('opinion_departments.id')
      .limit(limit)
      .offset(offset)
      .preload('opinion', (opinion) => opinion.select(...Opinion.HEADLINE_COLUMNS))
      .preload('assignee')
    const directory = await context.directory()
    return forwards.map((forward): MyWorkRow => {
      const department = directory.find(forward.departmentId)?.name ?? ''
      return {
        title: opinionTitle(forward.opinion),
        context: forward.assignee
          ? {
              key: 'my_work.context.forward_assigned',
              data: { department, name: forward.assignee.fullName },
            }
          : { key: 'my_work.context.forward', data: { department } },
        date: forward.opinion.dueOn,
        dateKind: 'due',
        urgency: replyUrgency(forward.opinion.dueOn, context.now),
        notes: [
          ...(forward.assignedUserId === context.user.id ? [{ key: 'my_work.notes.mine' }] : []),
          ...(forward.isLead ? [{ key: 'my_work.notes.lead' }] : []),
        ],
        link: { route: 'opinions.show', params: { id: forward.opinionId } },
      }
    })
  },

  async figures(context) {
    const { query } = await pendingForwards(context)
    const mine = totalOf(
      await query
        .where('opinion_departments.assigned_user_id', context.user.id)
        .count('* as total')
        .pojo()
    )
    return [
      {
        label: { key: 'my_work.figures.mine' },
        count: mine,
        link: { route: 'opinions.index', qs: { handling: 'pending', assignee: 'me' } },
      },
    ]
  },

  listLink: () => ({ route: 'opinions.index', qs: { handling: 'pending' } }),
}

/** Wrapped ({ query }): awaiting a builder would run it. */
async function pendingForwards(context: MyWorkContext) {
  const scope = await context.opinionScope()
  const query = OpinionDepartment.query()
    .join('opinions', 'opinions.id', 'opinion_departments.opinion_id')
    .where('opinion_departments.handling_status', 'pending')
    .whereIn('opinion_departments.department_id', scope.departmentIds ?? [])
    .whereNot('opinions.status', 'closed')
  return { query }
}

/** 受付済・未転送: what the opinion office has taken in and not yet forwarded. */
export const opinionsToForward: MyWorkSource = {
  key: 'opinions_to_forward',

  appliesTo: ({ user }) => user.role === 'operator',

  count: ({ user }) => OpinionQueries.receivedCount(user),

  async rows(context, limit, offset) {
    const opinions = await receivedQueue().limit(limit).offset(offset)
    return opinions.map((opinion): MyWorkRow => ({
      title: opinionTitle(opinion),
      context: { key: `opinions.channels.${opinion.channel}` },
      date: opinion.dueOn,
      dateKind: 'due',
      urgency: replyUrgency(opinion.dueOn, context.now),
      notes: [],
      link: { route: 'opinions.show', params: { id: opinion.id } },
    }))
  },

  listLink: () => ({ route: 'opinions.index', qs: { status: 'received' } }),
}

/**
 * The received opinions, earliest reply due date first (on PostgreSQL, migration 9060's index),
 * with what their rows show: no submitter field is read, and decrypted.
 */
export function receivedQueue() {
  return Opinion.query()
    .select(...Opinion.HEADLINE_COLUMNS, 'channel')
    .where('status', 'received')
    .orderByRaw('due_on IS NULL')
    .orderBy('due_on')
    .orderBy('received_at')
    .orderBy('id')
}
