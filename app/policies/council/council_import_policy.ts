import type User from '#models/user'
import type CouncilImport from '#models/council_import'
import BasePolicy from '#policies/base_policy'

/**
 * Importing council documents into the register (審議会資料の取込み): the privacy office
 * (and administrators) import; an import is seen by the one who made it and by the
 * privacy office; only a draft is corrected, confirmed or discarded.
 */
export default class CouncilImportPolicy extends BasePolicy {
  /** Who may import (and so see the list of imports). */
  create(user: User) {
    return this.hasRole(user, 'privacy_officer', 'admin')
  }

  viewAny(user: User) {
    return this.create(user)
  }

  /** Whether the list shows every import, not only the user's own. */
  viewAll(user: User) {
    return this.hasRole(user, 'privacy_officer')
  }

  view(user: User, record: CouncilImport) {
    if (!this.create(user)) return false
    return record.createdByUserId === user.id || this.viewAll(user)
  }

  /** Correcting, confirming and discarding: a draft the user may see. */
  update(user: User, record: CouncilImport) {
    return record.status === 'draft' && this.view(user, record)
  }
}
