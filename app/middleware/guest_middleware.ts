import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Keeps logged-in users away from the login pages.
 */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guard: 'web' | 'citizen' }) {
    const guard = ctx.auth.use(options.guard)
    // Without a login in the session, check() builds and catches an exception with its stack
    // trace: on every view of a login page (see silent_auth_middleware.ts).
    if (ctx.session.has(guard.sessionKeyName) && (await guard.check())) {
      return ctx.response.redirect(options.guard === 'web' ? '/dashboard' : '/citizen')
    }
    return next()
  }
}
