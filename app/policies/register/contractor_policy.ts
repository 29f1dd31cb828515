import type User from '#models/user'
import type Contractor from '#models/contractor'
import BasePolicy from '#policies/base_policy'
import { WARD_ROLES } from '#enums/role'

export default class ContractorPolicy extends BasePolicy {
  /** Every ward role browses the contractor list; contractor users do not. */
  viewAny(user: User) {
    return this.hasRole(user, ...WARD_ROLES)
  }

  /** Ward staff see any contractor; a contractor user sees only its own. */
  view(user: User, contractor: Contractor) {
    if (user.isContractorUser)
      return user.contractorId !== null && user.contractorId === contractor.id
    return this.hasRole(user, ...WARD_ROLES)
  }

  /** The privacy office and administrators register and edit contractors. */
  manage(user: User) {
    return this.hasRole(user, 'admin', 'privacy_officer')
  }
}
