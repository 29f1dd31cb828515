import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'
import { compileTrustedProxies } from '#services/auth/trusted_proxies'

/**
 * The app key encrypts cookies and sessions, and (unless dedicated keys are
 * configured) derives the field-encryption and blind-index keys.
 */
export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  // Off: app/middleware/request_id_middleware.ts gives each request its id (AdonisJS would take
  // any X-Request-Id a client sends).
  generateRequestId: false,
  allowMethodSpoofing: true,
  // Off: the request's context is passed explicitly (ctx.auditLog, ctx.session …). On Node 20
  // AsyncLocalStorage's promise hooks cost every request 7–10 % of its CPU (issue 19).
  useAsyncLocalStorage: false,
  // X-Forwarded-For is believed only when it comes from a proxy listed in
  // TRUSTED_PROXIES (CIDR list, default none); otherwise request.ip() is the
  // connection's peer address. The login throttle, the /voice limit and the
  // audit log all rely on request.ip().
  trustProxy: compileTrustedProxies(env.get('TRUSTED_PROXIES')),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: env.get('SESSION_SECURE_COOKIE', app.inProduction),
    sameSite: 'lax',
  },
})
