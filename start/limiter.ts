/*
|--------------------------------------------------------------------------
| Rate limiters
|--------------------------------------------------------------------------
*/
import { createHmac } from 'node:crypto'
import limiter from '@adonisjs/limiter/services/main'
import { appKey } from '#config/app'

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

/**
 * Citizen password-reset requests (「パスワードを忘れた方」): 10 per 15 minutes per IP
 * address, and 3 an hour per e-mail address as typed (whether or not it is registered, so
 * the limit tells nothing), so nobody can flood a mailbox with reset mails.
 */
export const passwordResetIpThrottle = limiter.define('password_reset_ip', (ctx) => {
  return limiter
    .allowRequests(10)
    .every('15 minutes')
    .blockFor('15 minutes')
    .usingKey(`password_reset_ip_${ctx.request.ip()}`)
    .limitExceeded((error) => {
      error.setMessage(ctx.i18n.t('citizen.password_reset.throttled'))
    })
})

export const passwordResetEmailThrottle = limiter.define('password_reset_email', (ctx) => {
  const email = String(ctx.request.input('email') ?? '')
    .trim()
    .toLowerCase()
  // A keyed digest: no address is stored in the rate-limit table.
  const key = createHmac('sha256', appKey.release())
    .update(`password-reset:${email}`)
    .digest('hex')
    .slice(0, 32)
  return limiter
    .allowRequests(3)
    .every('1 hour')
    .blockFor('1 hour')
    .usingKey(`password_reset_email_${key}`)
    .limitExceeded((error) => {
      error.setMessage(ctx.i18n.t('citizen.password_reset.throttled'))
    })
})
