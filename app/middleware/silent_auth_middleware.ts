import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Looks up a logged-in staff user or citizen on every request (without
 * requiring one), so that layouts can show who is logged in.
 */
export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    await ctx.auth.use('web').check()
    await ctx.auth.use('citizen').check()
    return next()
  }
}
