/*
|--------------------------------------------------------------------------
| Rate limiters
|--------------------------------------------------------------------------
*/
import limiter from '@adonisjs/limiter/services/main'

/**
 * Login and registration: 10 attempts a minute per IP address, then blocked
 * for 15 minutes. Per-account lockout after repeated failures is separate
 * (see AttemptLogin).
 */
export const loginThrottle = limiter.define('login', (ctx) => {
  return limiter
    .allowRequests(10)
    .every('1 minute')
    .blockFor('15 minutes')
    .usingKey(`login_${ctx.request.ip()}`)
    .limitExceeded((error) => {
      error.setMessage(ctx.i18n.t('messages.auth.throttled'))
    })
})

/**
 * Public forms that need no account (the anonymous opinion box): 5 a
 * minute per IP address, then blocked for 10 minutes.
 */
export const publicFormThrottle = limiter.define('public_form', (ctx) => {
  return limiter
    .allowRequests(5)
    .every('1 minute')
    .blockFor('10 minutes')
    .usingKey(`public_form_${ctx.request.ip()}`)
    .limitExceeded((error) => {
      error.setMessage(ctx.i18n.t('messages.auth.throttled'))
    })
})
