import db from '@adonisjs/lucid/services/db'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import FaqEntry from '#models/faq_entry'
import type User from '#models/user'
import DepartmentScope from '#builders/department_scope'
import { WARD_ROLES } from '#enums/role'

type EntryQuery = ModelQueryBuilderContract<typeof FaqEntry>

/**
 * Who may read which FAQ entry: the one rule every list, search, page and
 * policy of the FAQ uses.
 *
 * - citizens and guests (no user): the approved (published) version only;
 * - operators (広聴担当・コールセンター): every published entry;
 * - department staff and supervisors: every published entry, and every
 *   entry of their own department and below (drafts, changes awaiting
 *   approval);
 * - privacy officers and administrators: everything;
 * - contractor users (a contracted call center): published entries whose
 *   approved version is marked "visible to the contracted call center", of
 *   every department, when the contractor holds an active contract marked
 *   as the call-center contract (whichever department holds it). Another
 *   contractor sees none of them.
 *
 * Internal notes are for ward staff only: never shown to citizens nor to
 * contractor users. The entries a user manages (the management list, the
 * CSV) are those of their departments.
 *
 *     const scope = await FaqScope.for(user)
 *     const entries = await scope.managedEntries().preload('topic')
 */
export default class FaqScope {
  private constructor(
    readonly user: User | null,
    private readonly visible: DepartmentScope
  ) {}

  /** The scope of a staff, operator or contractor user. */
  static async for(user: User): Promise<FaqScope> {
    return new FaqScope(user, await DepartmentScope.for(user))
  }

  /** The scope of the citizen site: published entries only. */
  static public(): FaqScope {
    return new FaqScope(null, DepartmentScope.none())
  }

  /** Internal notes: ward staff only. */
  static seesInternalNotes(user: User | null | undefined): boolean {
    return Boolean(user && WARD_ROLES.includes(user.role))
  }

  /** Whether the department is the user's own or below it (every department for organisation-wide roles). */
  includesDepartment(departmentId: number | null): boolean {
    return this.visible.includes(departmentId)
  }

  /** Entries the user may read. */
  entries(): EntryQuery {
    const query = FaqEntry.query()
    const { user } = this
    if (!user || user.role === 'operator')
      return query.whereNotNull('faq_entries.published_version_id')
    if (user.seesAllDepartments) return query
    if (user.isContractorUser) return this.#contractorEntries(query, user.contractorId)
    const own = this.visible.ids ?? []
    return query.where((where) => {
      where.whereNotNull('faq_entries.published_version_id')
      if (own.length > 0) where.orWhereIn('faq_entries.department_id', own)
    })
  }

  /** Entries the user manages: those of their departments (all for the privacy office). */
  managedEntries(): EntryQuery {
    return this.visible.restrict(FaqEntry.query(), 'department_id')
  }

  /** Whether the user may read this entry (the same rule as `entries`). */
  async canRead(entry: FaqEntry): Promise<boolean> {
    const { user } = this
    if (!user) return entry.isLive
    if (user.seesAllDepartments) return true
    if (user.isContractorUser) return this.#contractorCanRead(entry, user.contractorId)
    if (entry.isLive) return true
    if (user.role === 'operator') return false
    return (this.visible.ids ?? []).includes(entry.departmentId)
  }

  /** Whether the user sees the internal notes. */
  get seesInternalNotes(): boolean {
    return FaqScope.seesInternalNotes(this.user)
  }

  /** A contractor user: published, marked for the call center, and the contractor runs the call center. */
  async #contractorCanRead(entry: FaqEntry, contractorId: number | null): Promise<boolean> {
    if (!entry.isLive || contractorId === null) return false
    const flagged = await db
      .from('faq_versions')
      .where('id', entry.publishedVersionId!)
      .where('visible_to_call_center', true)
      .first()
    if (!flagged) return false
    return Boolean(await FaqScope.#callCenterContracts(contractorId).first())
  }

  #contractorEntries(query: EntryQuery, contractorId: number | null): EntryQuery {
    return query
      .whereIn('faq_entries.published_version_id', (versions) =>
        versions.from('faq_versions').select('id').where('visible_to_call_center', true)
      )
      .whereExists(FaqScope.#callCenterContracts(contractorId ?? 0))
  }

  /**
   * The contractor's active call-center contracts. The department holding the contract does
   * not matter: the call center answers for every department.
   */
  static #callCenterContracts(contractorId: number) {
    return db
      .from('contracts')
      .select('id')
      .where('contractor_id', contractorId)
      .where('status', 'active')
      .where('call_center', true)
  }
}
