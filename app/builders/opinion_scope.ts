import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Department from '#models/department'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import OpinionEvent from '#models/opinion_event'
import type User from '#models/user'
import type { Role } from '#enums/role'

/** Roles that see every opinion: the opinion office (operators) and the organisation-wide roles. */
export const ALL_OPINIONS_ROLES: readonly Role[] = ['admin', 'privacy_officer', 'operator']

export type OpinionQuery = ModelQueryBuilderContract<typeof Opinion, Opinion>
export type OpinionEventQuery = ModelQueryBuilderContract<typeof OpinionEvent, OpinionEvent>

/**
 * Who may see which opinions (区民の声), the one rule of the domain: the
 * opinion office and the organisation-wide roles see every opinion;
 * department staff and supervisors see the opinions forwarded to their
 * department or a section below it; contractor users see none.
 *
 * `const scope = await OpinionScope.for(user)`, then the base queries
 * already limited to the user's opinions (`scope.opinions()`,
 * `scope.events()`), and the membership checks the policies use
 * (`scope.includesOpinion(opinion)`, `scope.includesDepartment(id)`).
 * Lists, statistics, the CSV export, the dashboard and OpinionPolicy all
 * read it from here.
 */
export default class OpinionScope {
  /**
   * `departmentIds`: the departments whose forwarded opinions are visible; null = every opinion.
   * `account`: whom the scope was read for, whose request reads the organisation once.
   */
  protected constructor(
    readonly departmentIds: number[] | null,
    private readonly account: User | null = null
  ) {}

  static async for(user: User): Promise<OpinionScope> {
    if (OpinionScope.seesAllOpinions(user)) return new OpinionScope(null, user)
    if (user.isContractorUser) return new OpinionScope([], user)
    return new OpinionScope((await user.visibleDepartmentIds()) ?? [], user)
  }

  /** A scope over these departments (null = every opinion), for callers that already know them. */
  static ofDepartments(departmentIds: number[] | null): OpinionScope {
    return new OpinionScope(departmentIds)
  }

  static seesAllOpinions(user: User): boolean {
    return ALL_OPINIONS_ROLES.includes(user.role)
  }

  /** True for the opinion office and the organisation-wide roles. */
  get seesAll(): boolean {
    return this.departmentIds === null
  }

  /**
   * A department and every unit below it, from the organisation as read for the scope's account
   * in this request (a department filter of the list or the statistics).
   */
  subtreeIds(departmentId: number): Promise<number[]> {
    return Department.subtreeIds(departmentId, this.account ?? undefined)
  }

  /** Whether opinions forwarded to this department are in scope (a department's own work: handling, replies). */
  includesDepartment(departmentId: number | null): boolean {
    if (departmentId === null) return false
    return this.departmentIds === null || this.departmentIds.includes(departmentId)
  }

  /** The opinions in scope. */
  opinions(): OpinionQuery {
    return this.restrict(Opinion.query())
  }

  /**
   * Restricts an opinion query to the scope. With a fiscal year the
   * forwardings are read for that year only (opinion_departments.fiscal_year
   * is the opinion's), so the statistics read one partition of the index.
   */
  restrict(query: OpinionQuery, fiscalYear?: number): OpinionQuery {
    return OpinionScope.restrictToDepartments(query, this.departmentIds, fiscalYear)
  }

  /** Restricts an opinion query to the opinions forwarded to one of the departments (null = no restriction). */
  static restrictToDepartments(
    query: OpinionQuery,
    departmentIds: number[] | null,
    fiscalYear?: number
  ): OpinionQuery {
    if (departmentIds === null) return query
    if (departmentIds.length === 0) return query.whereRaw('1 = 0')
    return query.whereIn('opinions.id', (sub) => {
      sub.from('opinion_departments').select('opinion_id').whereIn('department_id', departmentIds)
      if (fiscalYear) sub.where('fiscal_year', fiscalYear)
    })
  }

  /** The history entries (処理履歴) of the opinions in scope. */
  events(): OpinionEventQuery {
    const query = OpinionEvent.query()
    if (this.departmentIds === null) return query
    if (this.departmentIds.length === 0) return query.whereRaw('1 = 0')
    return query.whereIn('opinionId', (sub) =>
      sub
        .from('opinion_departments')
        .select('opinion_id')
        .whereIn('department_id', this.departmentIds!)
    )
  }

  /** Whether the opinion is in scope: everything, or forwarded to one of the departments. */
  async includesOpinion(opinion: Opinion): Promise<boolean> {
    if (this.departmentIds === null) return true
    if (this.departmentIds.length === 0) return false
    const preloaded = OpinionScope.#preloadedForwardings(opinion)
    if (preloaded)
      return preloaded.some(({ departmentId }) => this.includesDepartment(departmentId))
    const forwarded = await OpinionDepartment.query()
      .where('opinionId', opinion.id)
      .whereIn('departmentId', this.departmentIds)
      .first()
    return forwarded !== null
  }

  /** Whether the opinion was forwarded to this department and the department is in scope (who records its handling). */
  async includesForwarding(opinion: Opinion, departmentId: number): Promise<boolean> {
    if (!this.includesDepartment(departmentId)) return false
    const preloaded = OpinionScope.#preloadedForwardings(opinion)
    if (preloaded) return preloaded.some((forwarding) => forwarding.departmentId === departmentId)
    const forwarded = await OpinionDepartment.query()
      .where('opinionId', opinion.id)
      .where('departmentId', departmentId)
      .first()
    return forwarded !== null
  }

  /**
   * The opinion's forwardings when they were preloaded with it (the opinion page
   * checks a dozen permissions on one opinion: no query for each), else null.
   */
  static #preloadedForwardings(opinion: Opinion): OpinionDepartment[] | null {
    return 'assignments' in opinion.$preloaded ? opinion.assignments : null
  }
}
