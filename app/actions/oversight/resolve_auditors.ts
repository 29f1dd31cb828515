import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import { WARD_ROLES } from '#enums/role'

/** An on-site audit is done by more than one staff member (特記事項 監査等). */
export const MIN_AUDITORS = 2

/**
 * The auditors of an audit: at least two distinct, active ward staff members.
 * Contractor users (and unknown or inactive accounts) are never auditors
 * (a DomainError on `auditorIds`).
 */
export default class ResolveAuditors {
  async handle(ids: number[] | undefined, client?: TransactionClientContract): Promise<User[]> {
    const wanted = [...new Set(ids ?? [])]
    const users = wanted.length
      ? await User.query({ client }).whereIn('id', wanted).preload('department')
      : []
    const byId = new Map(users.map((user) => [user.id, user]))
    const ordered = wanted.map((id) => byId.get(id))
    if (ordered.some((user) => !user || !user.isActive || !WARD_ROLES.includes(user.role))) {
      throw new DomainError('oversight_audits.errors.ward_auditors_only', { field: 'auditorIds' })
    }
    if (ordered.length < MIN_AUDITORS) {
      throw new DomainError('oversight_audits.errors.two_auditors', { field: 'auditorIds' })
    }
    return ordered as User[]
  }

  /** Ward staff who can be chosen as auditors, for the form. */
  static async choices(): Promise<User[]> {
    return User.query()
      .whereIn('role', [...WARD_ROLES])
      .where('isActive', true)
      .preload('department')
      .orderBy('departmentId')
      .orderBy('fullName')
  }
}
