import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Looks up a logged-in staff user or citizen on every request (without
 * requiring one), so that layouts can show who is logged in.
 */
export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    for (const name of ['web', 'citizen'] as const) {
      const guard = ctx.auth.use(name)
      // Without a login in the session, check() only builds and catches an E_UNAUTHORIZED_ACCESS
      // (stack trace included) on every request: neither guard uses remember-me tokens (config/auth.ts).
      if (ctx.session.has(guard.sessionKeyName)) await guard.check()
    }
    return next()
  }
}
