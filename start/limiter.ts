/*
|--------------------------------------------------------------------------
| Rate limiters
|--------------------------------------------------------------------------
*/
import limiter from '@adonisjs/limiter/services/main'

/**
 * Citizen registration and verification-mail resend: 10 requests a minute
 * per IP address, then blocked for 15 minutes. Logins do not use it: they
 * count failures only (see LoginThrottle), so colleagues behind one proxy
 * are never refused for logging in.
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
