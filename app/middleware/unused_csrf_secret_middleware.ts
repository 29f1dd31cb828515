import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Where @adonisjs/shield keeps a session's CSRF secret. */
const CSRF_SECRET_KEY = 'csrf-secret'

/**
 * A page view that hands out no CSRF token stores no session. Shield gives every request whose
 * session has no CSRF secret a new one, kept in the session: every anonymous page view (the
 * public FAQ, the file register, a crawler's visit) stored a session row for nothing. When a
 * GET or HEAD arrived without session data, and its page carries no token (no form that posts),
 * the secret is dropped again and the session stays empty, so nothing is written. A page with a
 * form keeps it, and the form's POST is checked as before.
 *
 * Placed between the session lifetime middleware and shield: after shield made the secret, and
 * before the session is stamped and committed.
 */
export default class UnusedCsrfSecretMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const session = ctx.session
    const method = ctx.request.method()
    if (!session || (method !== 'GET' && method !== 'HEAD') || !session.isEmpty) return next()

    const output = await next()
    const values = Object.keys(session.all())
    const onlyTheSecret = values.length === 1 && values[0] === CSRF_SECRET_KEY
    const body = ctx.response.getBody()
    if (
      onlyTheSecret &&
      session.responseFlashMessages.isEmpty &&
      typeof body === 'string' &&
      !body.includes(ctx.request.csrfToken)
    ) {
      session.forget(CSRF_SECRET_KEY)
    }
    return output
  }
}
