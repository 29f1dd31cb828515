import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'

/**
 * The app key encrypts cookies and sessions, and (unless dedicated keys are
 * configured) derives the field-encryption and blind-index keys.
 */
export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: true,
  // The audit log reads the actor, IP and request id from the current request.
  useAsyncLocalStorage: true,
  // Behind the ward's reverse proxy the client IP arrives in X-Forwarded-For.
  trustProxy: () => true,
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: env.get('SESSION_SECURE_COOKIE', app.inProduction),
    sameSite: 'lax',
  },
})
