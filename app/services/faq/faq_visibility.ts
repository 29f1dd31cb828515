import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import type FaqEntry from '#models/faq_entry'
import type User from '#models/user'
import { WARD_ROLES } from '#enums/role'

type EntryQuery = ModelQueryBuilderContract<typeof FaqEntry>

/**
 * Who may read which FAQ entry (one rule for lists, searches and pages):
 *
 * - citizens and guests: the approved (published) version only;
 * - operators (広聴担当・コールセンター): every published entry;
 * - department staff and supervisors: every published entry, and every
 *   entry of their own department (drafts, changes awaiting approval);
 * - privacy officers and administrators: everything;
 * - contractor users (a contracted call center): published entries whose
 *   approved version is marked "visible to the contracted call center", of
 *   a department on one of whose systems the contractor holds an active
 *   contract. Another contractor sees none of them.
 *
 * Internal notes are for ward staff only: never shown to citizens nor to
 * contractor users.
 */
export default class FaqVisibility {
  /** Restricts an entry query to what `user` may read. */
  static async scope(query: EntryQuery, user: User): Promise<void> {
    if (user.seesAllDepartments) return
    if (user.isContractorUser) {
      FaqVisibility.#contractorScope(query, user.contractorId)
      return
    }
    if (user.role === 'operator') {
      query.whereNotNull('faq_entries.published_version_id')
      return
    }
    const own = (await user.visibleDepartmentIds()) ?? []
    query.where((where) => {
      where.whereNotNull('faq_entries.published_version_id')
      if (own.length > 0) where.orWhereIn('faq_entries.department_id', own)
    })
  }

  /** Whether `user` may read this entry (the same rule as `scope`). */
  static async canRead(user: User, entry: FaqEntry): Promise<boolean> {
    if (user.seesAllDepartments) return true
    if (user.isContractorUser) return FaqVisibility.contractorCanRead(user, entry)
    if (entry.isLive) return true
    if (user.role === 'operator') return false
    const own = (await user.visibleDepartmentIds()) ?? []
    return own.includes(entry.departmentId)
  }

  /** A contractor user: published, marked for the call center, and contracted on the department's systems. */
  static async contractorCanRead(user: User, entry: FaqEntry): Promise<boolean> {
    if (!entry.isLive || user.contractorId === null) return false
    const flagged = await db.from('faq_versions').where('id', entry.publishedVersionId!).where('visible_to_call_center', true).first()
    if (!flagged) return false
    const contracted = await db
      .from('contracts')
      .join('personal_data_systems', 'personal_data_systems.id', 'contracts.system_id')
      .where('contracts.contractor_id', user.contractorId)
      .where('contracts.status', 'active')
      .where('personal_data_systems.department_id', entry.departmentId)
      .first()
    return Boolean(contracted)
  }

  /** Internal notes: ward staff only. */
  static seesInternalNotes(user: User | null | undefined): boolean {
    return Boolean(user && WARD_ROLES.includes(user.role))
  }

  static #contractorScope(query: EntryQuery, contractorId: number | null) {
    query
      .whereIn('faq_entries.published_version_id', (versions) =>
        versions.from('faq_versions').select('id').where('visible_to_call_center', true)
      )
      .whereIn('faq_entries.department_id', (departments) =>
        departments
          .from('personal_data_systems')
          .select('department_id')
          .whereIn('id', (systems) =>
            systems.from('contracts').select('system_id').where('contractor_id', contractorId ?? 0).where('status', 'active')
          )
      )
  }
}
