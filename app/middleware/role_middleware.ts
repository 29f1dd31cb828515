import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Role } from '#enums/role'
import { errors } from '@adonisjs/bouncer'
import { AuthorizationResponse } from '@adonisjs/bouncer'

/**
 * Coarse gate for whole route groups (e.g. the admin area). Fine-grained
 * record access is decided by policies.
 */
export default class RoleMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { roles: Role[] }) {
    const user = ctx.auth.use('web').user
    if (!user || !options.roles.includes(user.role)) {
      throw new errors.E_AUTHORIZATION_FAILURE(AuthorizationResponse.deny('Access denied', 403))
    }
    return next()
  }
}
