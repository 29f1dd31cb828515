import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Keeps logged-in users away from the login pages.
 */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guard: 'web' | 'citizen' }) {
    if (await ctx.auth.use(options.guard).check()) {
      return ctx.response.redirect(options.guard === 'web' ? '/dashboard' : '/citizen')
    }
    return next()
  }
}
