import type { DateTime } from 'luxon'
import type User from '#models/user'
import type OpinionScope from '#builders/opinion_scope'
import type OversightScope from '#builders/oversight_scope'
import type { MessageRef } from '#exceptions/domain_error'
import type { ApprovalKind, PendingApproval } from '#services/approvals/approvers'
import type DepartmentDirectory from '#services/department_directory'

/** The sections of the "my work" list (わたしの仕事), in the order the start page shows them. */
export const MY_WORK_SECTIONS = [
  'forwarded_opinions',
  'opinions_to_forward',
  'replies_to_approve',
  'faq_to_approve',
  'council_to_approve',
  'duties',
  'submissions_to_check',
  'incidents_to_answer',
] as const
export type MyWorkSectionKey = (typeof MY_WORK_SECTIONS)[number]

/** A text of the data itself, or one to translate (its data may hold further messages). */
export type MyWorkText = string | MessageRef

/** Where a row or a link goes: a named route and its parameters (the view makes the URL). */
export interface MyWorkLink {
  route: string
  params?: Record<string, number | string>
  qs?: Record<string, string>
}

/** How a row stands against its date: overdue, due soon, or waiting (no deadline near). */
export type MyWorkUrgency = 'overdue' | 'near_due' | 'waiting'

/** One item that waits for the user. */
export interface MyWorkRow {
  title: MyWorkText
  /** Where it belongs: department, contract, system. */
  context: MyWorkText | null
  /** The date the list is sorted by (a due date, or when it was submitted or asked for). */
  date: DateTime | null
  /** What the date is: my_work.date.<dateKind>. */
  dateKind: 'due' | 'submitted' | 'requested' | 'meeting' | 'discovered'
  urgency: MyWorkUrgency
  /** Short marks: 自分の担当, 主管, 代理として … */
  notes: MyWorkText[]
  /** Urgent marks, shown as such: 承認依頼から3開庁日経過. */
  alerts?: MyWorkText[]
  link: MyWorkLink
}

/** A further count of a section with its own link, e.g. the user's own forwards. */
export interface MyWorkFigure {
  label: MyWorkText
  count: number
  link: MyWorkLink
}

/** A section as the pages show it: its total, the first rows by date, and where the whole list is. */
export interface MyWorkSection {
  key: MyWorkSectionKey
  total: number
  rows: MyWorkRow[]
  figures: MyWorkFigure[]
  /** The domain's own list with the same filter, where one exists. */
  listLink: MyWorkLink | null
}

/** What the sections read about the user, each part read once per request. */
export interface MyWorkContext {
  user: User
  /** Now, in the ward's zone. */
  now: DateTime
  opinionScope(): Promise<OpinionScope>
  oversightScope(): Promise<OversightScope>
  /** Whether the user approves for some department in some capacity (Approvers.departmentsOf). */
  approves(): Promise<boolean>
  /**
   * The replies, FAQ changes and council items the user may approve now (Approvers.pendingFor);
   * with `kind`, those of that kind, from the read of every kind when the request made it.
   */
  pendingApprovals(kind?: ApprovalKind): Promise<PendingApproval[]>
  /** The organisation as read for the request's account: the rows' department names. */
  directory(): Promise<DepartmentDirectory>
}

/**
 * One kind of work: whether it is the user's, how many items wait, which
 * ones (sorted by date, `limit` from `offset`), and the figures beside it.
 * count and rows are one query each (preloads aside): no query per row. The
 * approval sections share one read of what waits (Approvers.pendingFor, a
 * fixed number of queries) and count from it.
 */
export interface MyWorkSource {
  key: MyWorkSectionKey
  /** Whether the user has this kind of work at all (roles, rights). */
  appliesTo(context: MyWorkContext): boolean | Promise<boolean>
  count(context: MyWorkContext): Promise<number>
  rows(context: MyWorkContext, limit: number, offset: number): Promise<MyWorkRow[]>
  figures?(context: MyWorkContext): Promise<MyWorkFigure[]>
  listLink?(context: MyWorkContext): MyWorkLink | null
}
