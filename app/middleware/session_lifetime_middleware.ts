import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import i18nManager from '@adonisjs/i18n/services/main'
import Clock from '#services/clock'
import {
  SEEN_AT_KEY,
  SEEN_AT_PRECISION_MS,
  endSession,
  sessionExpiry,
} from '#services/auth/session_lifetime'

/**
 * Idle (30 min) and absolute (10 h) session timeouts, checked right after the session is read
 * and before anyone is authenticated from it. An expired session is destroyed on the server and
 * replaced by an empty one, so the request continues logged out (pages behind login redirect to
 * the login form, which says why). This does not depend on the store (database, memory).
 * Time comes from the container's Clock.
 */
@inject()
export default class SessionLifetimeMiddleware {
  constructor(private readonly clock: Clock) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const session = ctx.session
    if (!session) return next()

    const expiry = sessionExpiry(session, this.clock.now().toMillis())
    const endedLogin = expiry !== null && (session.has('auth_web') || session.has('auth_citizen'))
    if (expiry) endSession(session)

    try {
      return await next()
    } finally {
      this.#afterRequest(ctx, endedLogin ? expiry : null)
    }
  }

  /** Runs even when the request ended in an exception (the auth redirect is one). */
  #afterRequest(ctx: HttpContext, ended: 'idle' | 'absolute' | null) {
    const session = ctx.session
    if (ended) {
      // ctx.i18n is set by a later middleware (the user's language); it exists by now.
      const i18n = ctx.i18n ?? i18nManager.locale(i18nManager.defaultLocale)
      session.flash(
        'loginError',
        i18n.t(ended === 'idle' ? 'messages.auth.session_idle' : 'messages.auth.session_expired')
      )
    }
    // Only sessions holding something are tracked, so anonymous visits create no rows.
    if (session.isEmpty && session.responseFlashMessages.isEmpty) return
    // The time is written at most once a minute (or with any other change): a page view then
    // writes nothing to the store, where SQLite has one writer for every process.
    const now = this.clock.now().toMillis()
    const seenAt = Number(session.get(SEEN_AT_KEY)) || 0
    if (
      session.hasBeenModified ||
      !session.responseFlashMessages.isEmpty ||
      now - seenAt >= SEEN_AT_PRECISION_MS
    ) {
      session.put(SEEN_AT_KEY, now)
    }
  }
}
