import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'daicho-session',
  clearWithBrowser: true,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    // Set SESSION_SECURE_COOKIE=false only for a plain-HTTP intranet trial.
    secure: env.get('SESSION_SECURE_COOKIE', app.inProduction),
    sameSite: 'lax',
  },
  store: env.get('SESSION_DRIVER'),
  stores: {
    cookie: stores.cookie(),
    // The default: a long form's flashed input does not fit in a 4 KB cookie.
    database: stores.database(),
  },
})

export default sessionConfig
