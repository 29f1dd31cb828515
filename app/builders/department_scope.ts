import type User from '#models/user'

/**
 * The departments whose rows a user sees: their own department and those
 * below it; every department (`ids` null) for the privacy office and
 * administrators; none for a contractor user. The register, council and
 * FAQ scopes build on it.
 */
export default class DepartmentScope {
  private constructor(
    /** The visible departments; null = every department. */
    readonly ids: number[] | null
  ) {}

  static async for(user: User): Promise<DepartmentScope> {
    return new DepartmentScope(user.isContractorUser ? [] : await user.visibleDepartmentIds())
  }

  /** No department at all (the citizen site). */
  static none(): DepartmentScope {
    return new DepartmentScope([])
  }

  /** Whether the department's rows are visible (a row of no department: the organisation-wide roles only). */
  includes(departmentId: number | null): boolean {
    if (this.ids === null) return true
    return departmentId !== null && this.ids.includes(departmentId)
  }

  /** Limits a query to rows whose `column` is a visible department. */
  restrict<Query extends { whereIn(column: string, values: number[]): unknown }>(
    query: Query,
    column = 'departmentId'
  ): Query {
    if (this.ids !== null) query.whereIn(column, this.ids)
    return query
  }
}
