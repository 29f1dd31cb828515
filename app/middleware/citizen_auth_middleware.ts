import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Requires a logged-in citizen (guard "citizen").
 */
export default class CitizenAuthMiddleware {
  redirectTo = '/citizen/login'

  async handle(ctx: HttpContext, next: NextFn) {
    await ctx.auth.authenticateUsing(['citizen'], { loginRoute: this.redirectTo })
    return next()
  }
}
