import CouncilItem from '#models/council_item'
import FaqVersion from '#models/faq_version'
import Opinion from '#models/opinion'
import OpinionReply from '#models/opinion_reply'
import {
  ESCALATE_AFTER_OPEN_DAYS,
  type ApprovalKind,
  type PendingApproval,
} from '#services/approvals/approvers'
import { replyUrgency } from '#services/my_work/opinion_sections'
import type {
  MyWorkContext,
  MyWorkRow,
  MyWorkSource,
  MyWorkText,
} from '#services/my_work/my_work_section'

/**
 * What waits for the user's approval: exactly the opinion replies, FAQ changes and council items
 * (once approval was asked for) that the policies let the user approve now, as Approvers decides
 * it (named approver, acting approver, privacy officer; never one's own work). Each row says in
 * which capacity the user would act and whether the request waited 3 open days.
 */
function approves(context: MyWorkContext) {
  return context.approves()
}

/** The user's pending approvals of one kind, by the request's id. */
async function pendingOf(context: MyWorkContext, kind: ApprovalKind) {
  const pending = await context.pendingApprovals(kind)
  return new Map(pending.map((one) => [one.request.id, one]))
}

/** 代理として / 個人情報保護担当として. */
function capacityNotes(pending: PendingApproval | undefined): MyWorkText[] {
  if (!pending || pending.capacity === 'approver') return []
  return [{ key: `my_work.notes.as_${pending.capacity}` }]
}

/** 承認依頼から3開庁日経過. */
function overdueAlerts(pending: PendingApproval | undefined): MyWorkText[] {
  if (!pending?.overdue) return []
  return [{ key: 'my_work.notes.approval_overdue', data: { days: ESCALATE_AFTER_OPEN_DAYS } }]
}

/** 回答の承認: replies awaiting approval, by the opinion's reply due date. */
export const repliesToApprove: MyWorkSource = {
  key: 'replies_to_approve',
  appliesTo: approves,

  async count(context) {
    const pending = await pendingOf(context, 'opinion_reply')
    return pending.size
  },

  async rows(context, limit, offset) {
    const pending = await pendingOf(context, 'opinion_reply')
    const replies = await OpinionReply.query()
      .join('opinions', 'opinions.id', 'opinion_replies.opinion_id')
      .whereIn('opinion_replies.id', [...pending.keys()])
      .where('opinion_replies.status', 'awaiting_approval')
      .select('opinion_replies.*')
      .orderByRaw('opinions.due_on IS NULL')
      .orderBy('opinions.due_on')
      .orderBy('opinion_replies.requested_at')
      .orderBy('opinion_replies.id')
      .limit(limit)
      .offset(offset)
      .preload('opinion', (opinion) => opinion.select(...Opinion.HEADLINE_COLUMNS))
    const directory = await context.directory()
    return replies.map((reply): MyWorkRow => {
      const one = pending.get(reply.id)
      return {
        title: `${reply.opinion.referenceNo} ${reply.opinion.subject}`,
        context: directory.find(reply.departmentId)?.name ?? null,
        date: reply.opinion.dueOn,
        dateKind: 'due',
        urgency: replyUrgency(reply.opinion.dueOn, context.now),
        notes: capacityNotes(one),
        alerts: overdueAlerts(one),
        link: { route: 'opinions.show', params: { id: reply.opinionId } },
      }
    })
  },

  listLink: () => ({ route: 'opinions.index', qs: { status: 'awaiting_approval' } }),
}

/** FAQの変更の承認: changes awaiting approval, oldest request first. */
export const faqToApprove: MyWorkSource = {
  key: 'faq_to_approve',
  appliesTo: approves,

  async count(context) {
    const pending = await pendingOf(context, 'faq_change')
    return pending.size
  },

  async rows(context, limit, offset) {
    const pending = await pendingOf(context, 'faq_change')
    const versions = await FaqVersion.query()
      .whereIn('id', [...pending.keys()])
      .where('state', 'awaiting_approval')
      .orderBy('requestedAt')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
    const directory = await context.directory()
    return versions.map((version): MyWorkRow => {
      const one = pending.get(version.id)
      return {
        title: version.question,
        // The entry's department, as the request read it (the entry is not read again).
        context: directory.find(one?.request.departmentId)?.name ?? '',
        date: version.requestedAt,
        dateKind: 'requested',
        urgency: 'waiting',
        notes: capacityNotes(one),
        alerts: overdueAlerts(one),
        link: { route: 'faq_entries.show', params: { id: version.faqEntryId } },
      }
    })
  },

  listLink: () => ({ route: 'faq_entries.index', qs: { status: 'awaiting_approval' } }),
}

/** 諮問・報告事項の承認: drafts put forward for approval, the earliest council meeting first. */
export const councilToApprove: MyWorkSource = {
  key: 'council_to_approve',
  appliesTo: approves,

  async count(context) {
    const pending = await pendingOf(context, 'council_item')
    return pending.size
  },

  async rows(context, limit, offset) {
    const pending = await pendingOf(context, 'council_item')
    const items = await CouncilItem.query()
      .leftJoin('council_meetings', 'council_meetings.id', 'council_items.meeting_id')
      .whereIn('council_items.id', [...pending.keys()])
      .where('council_items.status', 'draft')
      .select('council_items.*')
      .orderByRaw('council_meetings.held_on IS NULL')
      .orderBy('council_meetings.held_on')
      .orderBy('council_items.requested_at')
      .orderBy('council_items.id')
      .limit(limit)
      .offset(offset)
      .preload('meeting')
    const directory = await context.directory()
    return items.map((item): MyWorkRow => {
      const one = pending.get(item.id)
      const department = directory.find(item.departmentId)?.name ?? ''
      return {
        title: item.subject,
        context: item.meeting
          ? {
              key: 'my_work.context.council_meeting',
              data: { department, meeting: item.meeting.label },
            }
          : department,
        date: item.meeting ? item.meeting.heldOn : item.requestedAt,
        dateKind: item.meeting ? 'meeting' : 'requested',
        urgency: 'waiting',
        notes: capacityNotes(one),
        alerts: overdueAlerts(one),
        link: { route: 'council_items.show', params: { id: item.id } },
      }
    })
  },

  listLink: () => ({ route: 'council.dashboard' }),
}
