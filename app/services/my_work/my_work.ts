import { inject } from '@adonisjs/core'
import { routeUrl } from '#services/route_urls'
import type { I18n } from '@adonisjs/i18n'
import type { DateTime } from 'luxon'
import type User from '#models/user'
import OpinionScope from '#builders/opinion_scope'
import OversightScope from '#builders/oversight_scope'
import { translateMessage } from '#exceptions/domain_error'
import Clock from '#services/clock'
import { WARD_ZONE } from '#services/ward_calendar'
import Approvers, { type ApprovalKind, type PendingApproval } from '#services/approvals/approvers'
import { forwardedOpinions, opinionsToForward } from '#services/my_work/opinion_sections'
import {
  councilToApprove,
  faqToApprove,
  repliesToApprove,
} from '#services/my_work/approval_sections'
import { duties, incidentsToAnswer, submissionsToCheck } from '#services/my_work/oversight_sections'
import DepartmentDirectory from '#services/department_directory'
import type {
  MyWorkContext,
  MyWorkLink,
  MyWorkSection,
  MyWorkSectionKey,
  MyWorkSource,
  MyWorkText,
  MyWorkUrgency,
} from '#services/my_work/my_work_section'

/** Every kind of work, in the order the start page shows the sections. */
const SOURCES: MyWorkSource[] = [
  forwardedOpinions,
  opinionsToForward,
  repliesToApprove,
  faqToApprove,
  councilToApprove,
  duties,
  submissionsToCheck,
  incidentsToAnswer,
]

/** Rows a section shows on the start page; 「すべて見る」 opens the rest. */
export const START_PAGE_ROWS = 5

/** Rows per page of one section's own page. */
export const SECTION_PAGE_ROWS = 50

/** A row ready for the page: texts translated, link made. */
export interface MyWorkRowView {
  title: string
  context: string | null
  date: DateTime | null
  dateLabel: string
  urgency: MyWorkUrgency
  notes: string[]
  alerts: string[]
  url: string
}

export interface MyWorkSectionView {
  key: MyWorkSectionKey
  total: number
  rows: MyWorkRowView[]
  figures: Array<{ label: string; count: number; url: string }>
  listUrl: string | null
  allUrl: string
}

/** The context of each request's account (auth loads a fresh account per request). */
const contexts = new WeakMap<User, MyWorkContext>()

/**
 * わたしの仕事: what waits for the user, as sections of one kind of work
 * each (forwarded opinions, approvals, oversight duties, contractor
 * submissions to check …). Each section is the user's own by the same
 * scopes and rights as the lists and policies of its domain; it counts its
 * items and lists the first of them by date. Empty sections are left out.
 */
@inject()
export default class MyWork {
  constructor(protected clock: Clock) {}

  /** Whether the section is one of the user's kinds of work. */
  async appliesTo(user: User, key: MyWorkSectionKey): Promise<boolean> {
    return sourceOf(key).appliesTo(this.#context(user))
  }

  /**
   * The sections with work waiting, each with its first `limit` rows. The sections are read at
   * once (each on its own connection where the database has several), not one after the other.
   */
  async sections(user: User, limit = START_PAGE_ROWS): Promise<MyWorkSection[]> {
    const context = this.#context(user)
    // The approval sections share one read of what waits, of every kind, begun first so that
    // their counts find it and beside the other sections (a section's own page reads its kind).
    const [, ...sections] = await Promise.all([
      context.pendingApprovals(),
      ...SOURCES.map(async (source) => {
        if (!(await source.appliesTo(context))) return null
        const total = await source.count(context)
        if (total === 0) return null
        return this.#section(source, context, total, limit, 0)
      }),
    ])
    return sections.filter((section) => section !== null)
  }

  /** One section, a page of `perPage` rows (the section's own page). */
  async section(
    user: User,
    key: MyWorkSectionKey,
    page: number,
    perPage = SECTION_PAGE_ROWS
  ): Promise<{ section: MyWorkSection; page: number; hasMore: boolean }> {
    const source = sourceOf(key)
    const context = this.#context(user)
    const total = await source.count(context)
    const section = await this.#section(source, context, total, perPage + 1, (page - 1) * perPage)
    const hasMore = section.rows.length > perPage
    section.rows = section.rows.slice(0, perPage)
    return { section, page, hasMore }
  }

  /** Translates the texts and makes the links of sections for a page. */
  static present(sections: MyWorkSection[], i18n: I18n): MyWorkSectionView[] {
    const text = (value: MyWorkText) => translateMessage(i18n, value)
    return sections.map((section) => ({
      key: section.key,
      total: section.total,
      rows: section.rows.map((row) => ({
        title: text(row.title),
        context: row.context === null ? null : text(row.context),
        date: row.date,
        dateLabel: i18n.t(`my_work.date.${row.dateKind}`),
        urgency: row.urgency,
        notes: row.notes.map(text),
        alerts: (row.alerts ?? []).map(text),
        url: MyWork.url(row.link),
      })),
      figures: section.figures.map((figure) => ({
        label: text(figure.label),
        count: figure.count,
        url: MyWork.url(figure.link),
      })),
      listUrl: section.listLink ? MyWork.url(section.listLink) : null,
      allUrl: routeUrl('my_work.show', { section: section.key }),
    }))
  }

  static url(link: MyWorkLink): string {
    return routeUrl(link.route, link.params ?? {}, link.qs ? { qs: link.qs } : undefined)
  }

  async #section(
    source: MyWorkSource,
    context: MyWorkContext,
    total: number,
    limit: number,
    offset: number
  ): Promise<MyWorkSection> {
    const [rows, figures] = await Promise.all([
      total > offset ? source.rows(context, limit, offset) : [],
      source.figures ? source.figures(context) : [],
    ])
    return { key: source.key, total, rows, figures, listLink: source.listLink?.(context) ?? null }
  }

  /**
   * What the sections read about the user, each part read at most once in the request: kept
   * with the request's account, as DepartmentDirectory is, so that the section's policy
   * (MyWorkPolicy, its own MyWork) and its page share one reading.
   */
  #context(user: User): MyWorkContext {
    let context = contexts.get(user)
    if (!context) {
      context = this.#read(user)
      contexts.set(user, context)
    }
    return context
  }

  #read(user: User): MyWorkContext {
    const once = <T>(read: () => Promise<T>) => {
      let value: Promise<T> | null = null
      return () => (value ??= read())
    }
    const now = this.clock.now().setZone(WARD_ZONE)
    const approvalDepartments = once(() => Approvers.departmentsOf(user))
    // One read of every kind on the start page; a section's own page reads only its kind.
    const pendingByKind = new Map<ApprovalKind | 'every', Promise<PendingApproval[]>>()
    return {
      user,
      now,
      opinionScope: once(() => OpinionScope.for(user)),
      oversightScope: once(() => OversightScope.for(user)),
      approves: once(async () => {
        const departmentIds = await approvalDepartments()
        return departmentIds === null || departmentIds.length > 0
      }),
      pendingApprovals: (kind) => {
        const every = pendingByKind.get('every')
        if (kind && every)
          return every.then((all) => all.filter((one) => one.request.kind === kind))
        const key = kind ?? 'every'
        let pending = pendingByKind.get(key)
        if (!pending) {
          pending = approvalDepartments().then((departmentIds) =>
            Approvers.pendingFor(user, now, departmentIds, kind ? [kind] : undefined)
          )
          pendingByKind.set(key, pending)
        }
        return pending
      },
      directory: () => DepartmentDirectory.load(user),
    }
  }
}

function sourceOf(key: MyWorkSectionKey): MyWorkSource {
  return SOURCES.find((source) => source.key === key)!
}
