import { BasePolicy as BouncerBasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type { Role } from '#enums/role'

/**
 * Role helpers shared by every policy. Inactive accounts are denied
 * everything before any policy method runs.
 */
export default class BasePolicy extends BouncerBasePolicy {
  before(user: User | null): AuthorizerResponse | undefined {
    if (user && !user.isActive) return false
    return undefined
  }

  protected hasRole(user: User, ...roles: Role[]): boolean {
    return roles.includes(user.role)
  }
}
