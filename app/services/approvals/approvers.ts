import type { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import Department from '#models/department'
import DepartmentDirectory from '#services/department_directory'
import DepartmentApprover from '#models/department_approver'
import UserAbsence from '#models/user_absence'
import OpinionReply from '#models/opinion_reply'
import FaqVersion from '#models/faq_version'
import CouncilItem from '#models/council_item'
import type FaqEntry from '#models/faq_entry'
import Clock from '#services/clock'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import SeparationOfDuties, { type ApprovalSubject } from '#services/separation_of_duties'

/** What a department approves: an opinion reply, an FAQ change, a council item. */
export const APPROVAL_KINDS = ['opinion_reply', 'faq_change', 'council_item'] as const
export type ApprovalKind = (typeof APPROVAL_KINDS)[number]

/** In which capacity a user may approve: named approver, acting approver, privacy officer. */
export type ApproverCapacity = 'approver' | 'acting' | 'privacy_officer'

/** Why an acting approver or a privacy officer may decide (see Approvers.fallbackReason). */
export type FallbackReason = 'none' | 'away' | 'own_work' | 'overdue'

/** What the decider did with a request: approved it, or sent it back with a comment. */
export type ApprovalDecision = { outcome: 'approved' } | { outcome: 'returned'; comment: string }

/** Open days an approval request waits before it is escalated. */
export const ESCALATE_AFTER_OPEN_DAYS = 3

/** One thing waiting for (or open to) a department's approval. */
export interface ApprovalRequest {
  kind: ApprovalKind
  /** The reply's, the FAQ version's or the council item's id. */
  id: number
  departmentId: number
  /** Who drafted it and asked: never its approver. */
  subject: ApprovalSubject
  /** When approval was asked for (null: a council draft not yet put forward). */
  requestedAt: DateTime | null
  /** What it is, for mails and lists (an opinion's reference number, an FAQ question, a council subject). */
  label: string
  /** The page where it is decided. */
  route: { name: string; params: Record<string, number> }
}

/** Who approves for a department on one day. */
export interface DepartmentApproverSet {
  departmentId: number
  /** The department names its approvers; when it names none, its supervisors and those above are its approvers. */
  named: boolean
  approvers: User[]
  /** Approvers not away on the day. */
  present: User[]
  /** Acting approvers (代理) not away on the day. */
  acting: User[]
  privacyOfficers: User[]
  /** The absence covering the day, by user id (approvers and acting approvers). */
  away: Map<number, UserAbsence>
}

/** An approval the user may decide now (the "my work" list). */
export interface PendingApproval {
  request: ApprovalRequest
  capacity: ApproverCapacity
  /** Waiting 3 open days or more (escalated). */
  overdue: boolean
}

/**
 * Who may approve (承認) a department's opinion replies, FAQ changes and council items: the one
 * rule that OpinionPolicy.approveReply, FaqPolicy.decide and CouncilItemPolicy.approve, the
 * request and escalation mails, and the "my work" list all use.
 *
 * - The department's approvers (承認者) named on the admin page; a department that names none
 *   keeps its supervisors (上位者) of the department and the units above it.
 * - When no approver can act (none, all away, or only the drafters themselves) or the request
 *   has waited 3 open days, the department's acting approvers (代理) and the privacy officers
 *   may approve too: nothing stays without someone able to act.
 * - Never the drafter or the one who asked (SeparationOfDuties), in any capacity.
 * Today is the container's Clock, in the ward's zone.
 */
export default class Approvers {
  /** The capacity in which the user may approve the request now, or null. */
  static async capacity(
    user: User,
    request: ApprovalRequest,
    now?: DateTime
  ): Promise<ApproverCapacity | null> {
    if (!user.isActive || user.isContractorUser) return null
    if (SeparationOfDuties.isOwnWork(user, request.subject)) return null
    const at = now ?? (await Approvers.#now())
    const set = await Approvers.of(request.departmentId, at, user)
    return Approvers.#capacityIn(set, user, request, at)
  }

  /** Whether the user may approve (or send back) the request now. */
  static async mayApprove(user: User, request: ApprovalRequest): Promise<boolean> {
    return (await Approvers.capacity(user, request)) !== null
  }

  /**
   * The department's approvers, acting approvers and privacy officers on the day of `now`.
   * `account`: the request's user, whose request reads the organisation once (DepartmentDirectory).
   * `namedRows`: the department's approver rows with their users, when the caller has them.
   */
  static async of(
    departmentId: number,
    now?: DateTime,
    account?: User,
    namedRows?: DepartmentApprover[]
  ): Promise<DepartmentApproverSet> {
    const sets = await Approvers.setsOf([departmentId], now, account, namedRows)
    return sets.get(departmentId)!
  }

  /**
   * `of` for several departments (null: every department) at once, in the same few queries
   * however many departments: the "my work" list reads every department it may act for.
   * `namedRows`: every approver row of those departments with its user, when the caller has them.
   */
  static async setsOf(
    departmentIds: number[] | null,
    now?: DateTime,
    account?: User,
    namedRows?: DepartmentApprover[]
  ): Promise<Map<number, DepartmentApproverSet>> {
    const at = now ?? (await Approvers.#now())
    const day = at.setZone(WARD_ZONE).toISODate()!
    const directory = await DepartmentDirectory.load(account)
    const ids = departmentIds ?? directory.entries.map((department) => department.id)
    const rows =
      namedRows ??
      (ids.length
        ? await DepartmentApprover.query()
            .if(departmentIds, (query) => query.whereIn('departmentId', departmentIds!))
            .preload('user')
            .orderBy('id')
        : [])
    const usable = (row: DepartmentApprover) => row.user.isActive && !row.user.isContractorUser
    const namingIds = new Set(
      rows.filter((row) => row.capacity === 'approver').map((row) => row.departmentId)
    )
    // A department that names no approver keeps the supervisors of its chain.
    const chains = new Map(
      ids.filter((id) => !namingIds.has(id)).map((id) => [id, directory.chainIds(id)])
    )
    const chainIds = [...new Set([...chains.values()].flat())]
    const supervisors = chainIds.length
      ? await User.query()
          .where('role', 'supervisor')
          .where('isActive', true)
          .whereIn('departmentId', chainIds)
          .orderBy('id')
      : []
    const approversOf = (departmentId: number) => {
      const chain = chains.get(departmentId)
      if (!chain) {
        return rows
          .filter((row) => row.departmentId === departmentId && row.capacity === 'approver')
          .filter(usable)
          .map((row) => row.user)
      }
      return supervisors.filter((user) => chain.includes(user.departmentId!))
    }
    const actingOf = (departmentId: number) =>
      rows
        .filter((row) => row.departmentId === departmentId && row.capacity === 'acting')
        .filter(usable)
        .map((row) => row.user)
    const userIds = [
      ...new Set([...supervisors.map((user) => user.id), ...rows.map((row) => row.userId)]),
    ]
    const absences = userIds.length
      ? await UserAbsence.query()
          .whereIn('userId', userIds)
          .where('startsOn', '<=', day)
          .where('endsOn', '>=', day)
      : []
    const away = new Map(absences.map((absence) => [absence.userId, absence]))
    const privacyOfficers = await User.query()
      .where('role', 'privacy_officer')
      .where('isActive', true)
      .orderBy('id')
    const sets = new Map<number, DepartmentApproverSet>()
    for (const departmentId of ids) {
      const approvers = approversOf(departmentId)
      const acting = actingOf(departmentId)
      const people = new Set([...approvers, ...acting].map((user) => user.id))
      sets.set(departmentId, {
        departmentId,
        named: namingIds.has(departmentId),
        approvers,
        present: approvers.filter((user) => !away.has(user.id)),
        acting: acting.filter((user) => !away.has(user.id)),
        privacyOfficers,
        away: new Map([...away].filter(([userId]) => people.has(userId))),
      })
    }
    return sets
  }

  /**
   * The departments whose requests the user may approve in some capacity, on some day (null:
   * every department, a privacy officer): where they are named, and, for a supervisor, the
   * departments of their chain that name no approver.
   */
  static async departmentsOf(user: User): Promise<number[] | null> {
    if (!user.isActive || user.isContractorUser) return []
    if (user.role === 'privacy_officer') return null
    const named = await DepartmentApprover.query().where('userId', user.id)
    const ids = new Set(named.map((row) => row.departmentId))
    if (user.role === 'supervisor' && user.departmentId !== null) {
      const below = await Department.subtreeIds(user.departmentId, user)
      const naming = await DepartmentApprover.query()
        .whereIn('departmentId', below)
        .where('capacity', 'approver')
      const namingIds = new Set(naming.map((row) => row.departmentId))
      for (const id of below) if (!namingIds.has(id)) ids.add(id)
    }
    return [...ids]
  }

  /** The department's id and those of the units above it (課 → 部). */
  static async chain(departmentId: number, account?: User): Promise<number[]> {
    const directory = await DepartmentDirectory.load(account)
    return directory.chainIds(departmentId)
  }

  /**
   * Why someone other than an approver may decide: no approver named (nor a supervisor), all
   * away, the only approvers drafted it, or the request waited 3 open days.
   */
  static async fallbackReason(request: ApprovalRequest, now?: DateTime): Promise<FallbackReason> {
    const at = now ?? (await Approvers.#now())
    const set = await Approvers.of(request.departmentId, at)
    if (set.approvers.length === 0) return 'none'
    if (set.present.length === 0) return 'away'
    const canAct = set.present.some(
      (approver) => !SeparationOfDuties.isOwnWork(approver, request.subject)
    )
    return canAct ? 'overdue' : 'own_work'
  }

  /** Whether the request has waited ESCALATE_AFTER_OPEN_DAYS open days by `now`. */
  static isOverdue(request: Pick<ApprovalRequest, 'requestedAt'>, now: DateTime): boolean {
    if (!request.requestedAt) return false
    return WardCalendar.openDaysBetween(request.requestedAt, now) >= ESCALATE_AFTER_OPEN_DAYS
  }

  /**
   * Whom an approval request is mailed to: the approvers present, or, when none of them can
   * act, the acting approvers and the privacy officers. Never the drafters.
   */
  static async requestRecipients(request: ApprovalRequest, now?: DateTime): Promise<User[]> {
    const set = await Approvers.of(request.departmentId, now)
    const others = (users: User[]) =>
      users.filter((user) => !SeparationOfDuties.isOwnWork(user, request.subject))
    const approvers = others(set.present)
    return approvers.length > 0
      ? approvers
      : Approvers.#unique(others([...set.acting, ...set.privacyOfficers]))
  }

  /** Whom an escalated request is mailed to: the acting approvers and the privacy officers. */
  static async escalationRecipients(request: ApprovalRequest, now?: DateTime): Promise<User[]> {
    const set = await Approvers.of(request.departmentId, now)
    return Approvers.#unique(
      [...set.acting, ...set.privacyOfficers].filter(
        (user) => !SeparationOfDuties.isOwnWork(user, request.subject)
      )
    )
  }

  /**
   * Who is told when someone other than a present approver decided: the department's staff and
   * supervisors and its named approvers and acting approvers, not the one who decided.
   */
  static async departmentRecipients(departmentId: number, except: User): Promise<User[]> {
    const staff = await User.query()
      .where('isActive', true)
      .where('departmentId', departmentId)
      .whereIn('role', ['department_staff', 'supervisor'])
      .orderBy('id')
    const named = await DepartmentApprover.query()
      .where('departmentId', departmentId)
      .preload('user')
      .orderBy('id')
    return Approvers.#unique([
      ...staff,
      ...named.map((row) => row.user).filter((user) => user.isActive),
    ]).filter((user) => user.id !== except.id)
  }

  /** An opinion reply awaiting approval, as a request. */
  static forReply(
    reply: OpinionReply,
    opinion?: { id: number; referenceNo: string | null }
  ): ApprovalRequest {
    return {
      kind: 'opinion_reply',
      id: reply.id,
      departmentId: reply.departmentId ?? 0,
      subject: reply,
      requestedAt: reply.requestedAt,
      label: opinion?.referenceNo ?? `#${reply.opinionId}`,
      route: { name: 'opinions.show', params: { id: opinion?.id ?? reply.opinionId } },
    }
  }

  /** An FAQ change (the version awaiting approval, if any), as a request. */
  static forFaqChange(
    entry: FaqEntry,
    pending: Pick<FaqVersion, 'id' | 'requestedByUserId' | 'requestedAt' | 'question'> | null
  ): ApprovalRequest {
    return {
      kind: 'faq_change',
      id: pending?.id ?? 0,
      departmentId: entry.departmentId,
      subject: SeparationOfDuties.faqChange(entry, pending),
      requestedAt: pending?.requestedAt ?? null,
      label: pending?.question ?? entry.question,
      route: { name: 'faq_entries.show', params: { id: entry.id } },
    }
  }

  /** A council item (a draft, asked for or not), as a request. */
  static forCouncilItem(item: CouncilItem): ApprovalRequest {
    return {
      kind: 'council_item',
      id: item.id,
      departmentId: item.departmentId,
      subject: item,
      requestedAt: item.requestedAt,
      label: item.subject,
      route: { name: 'council_items.show', params: { id: item.id } },
    }
  }

  /**
   * Every reply, FAQ change and council item awaiting approval (of the departments `departmentIds`,
   * null: of every department), oldest request first; `kinds`: only these. A council draft waits
   * once approval was asked.
   */
  static async waiting(
    departmentIds: number[] | null = null,
    kinds: readonly ApprovalKind[] = APPROVAL_KINDS
  ): Promise<ApprovalRequest[]> {
    const replies = kinds.includes('opinion_reply')
      ? await OpinionReply.query()
          .where('status', 'awaiting_approval')
          .whereNotNull('departmentId')
          .if(departmentIds, (query) => query.whereIn('departmentId', departmentIds!))
          // What the reference number needs: the submitter's encrypted fields are not read.
          .preload('opinion', (opinion) => opinion.select('id', 'fiscal_year'))
      : []
    const versions = kinds.includes('faq_change')
      ? await FaqVersion.query()
          .where('state', 'awaiting_approval')
          // As FaqPolicy.decide: the entry itself awaits the decision.
          .whereHas('entry', (entry) =>
            entry
              .where('status', 'awaiting_approval')
              .if(departmentIds, (query) => query.whereIn('departmentId', departmentIds!))
          )
          .preload('entry')
      : []
    const items = kinds.includes('council_item')
      ? await CouncilItem.query()
          .where('status', 'draft')
          .whereNotNull('requestedAt')
          .if(departmentIds, (query) => query.whereIn('departmentId', departmentIds!))
      : []
    const requests = [
      ...replies.map((reply) => Approvers.forReply(reply, reply.opinion)),
      ...versions.map((version) => Approvers.forFaqChange(version.entry, version)),
      ...items.map((item) => Approvers.forCouncilItem(item)),
    ]
    return requests.sort(
      (a, b) => (a.requestedAt?.toMillis() ?? 0) - (b.requestedAt?.toMillis() ?? 0)
    )
  }

  /**
   * What the user may approve now, oldest request first, with the capacity and whether it
   * waited 3 open days: the approvals of the user's "my work" list. `departmentIds`: the user's
   * `departmentsOf`, where the caller has read them already; `kinds`: only these (a section of
   * one kind reads nothing of the others).
   */
  static async pendingFor(
    user: User,
    now?: DateTime,
    departmentIds?: number[] | null,
    kinds: readonly ApprovalKind[] = APPROVAL_KINDS
  ): Promise<PendingApproval[]> {
    if (departmentIds === undefined) departmentIds = await Approvers.departmentsOf(user)
    if (departmentIds?.length === 0) return []
    const at = now ?? (await Approvers.#now())
    const sets = await Approvers.setsOf(departmentIds, at, user)
    const pending: PendingApproval[] = []
    for (const request of await Approvers.waiting(departmentIds, kinds)) {
      const set = sets.get(request.departmentId)
      if (!set || SeparationOfDuties.isOwnWork(user, request.subject)) continue
      const capacity = Approvers.#capacityIn(set, user, request, at)
      if (capacity) pending.push({ request, capacity, overdue: Approvers.isOverdue(request, at) })
    }
    return pending
  }

  static #capacityIn(
    set: DepartmentApproverSet,
    user: User,
    request: ApprovalRequest,
    at: DateTime
  ): ApproverCapacity | null {
    if (set.present.some((approver) => approver.id === user.id)) return 'approver'
    const approverCanAct = set.present.some(
      (approver) => !SeparationOfDuties.isOwnWork(approver, request.subject)
    )
    if (approverCanAct && !Approvers.isOverdue(request, at)) return null
    if (set.acting.some((acting) => acting.id === user.id)) return 'acting'
    if (user.role === 'privacy_officer') return 'privacy_officer'
    return null
  }

  static #unique(users: User[]): User[] {
    const seen = new Set<number>()
    return users.filter((user) => !seen.has(user.id) && seen.add(user.id))
  }

  static async #now(): Promise<DateTime> {
    const clock = await app.container.make(Clock)
    return clock.now()
  }
}
