import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import type { ConfigProvider } from '@adonisjs/core/types'
import { defineConfig, stores } from '@adonisjs/session'
import type { SessionStoreFactory } from '@adonisjs/session/types'

/**
 * Sessions live on the server (ASVS V3). The cookie carries only a random session id: logging
 * out, changing a password or timing out deletes the server-side row, so an old cookie replayed
 * later opens nothing. There is deliberately no cookie store: a signed cookie holding the whole
 * session stays valid after logout, and a long form's flashed input does not fit in 4 KB.
 *
 * Redis: @adonisjs/redis is not installed in this project, so only the database store (the
 * `sessions` table, SQLite or PostgreSQL) is offered. To add Redis: install and configure
 * @adonisjs/redis, add `redis: stores.redis({ connection: 'main' })` below and 'redis' to
 * SESSION_DRIVER in start/env.ts.
 */

/** A session unused for this long is ended (idle timeout). */
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000
/** A login lasts at most this long, however active (absolute timeout). */
export const SESSION_ABSOLUTE_TIMEOUT_MS = 10 * 60 * 60 * 1000

/**
 * A store without `touch`: @adonisjs/session renews the stored row's expiry on every request
 * that changes nothing, one write per page view (and SQLite has one writer for every process).
 * The writes that remain renew it (the last-use time, at most once a minute: see
 * session_lifetime_middleware.ts); the idle and absolute timeouts do not depend on it.
 */
function withoutTouch(store: ConfigProvider<SessionStoreFactory>) {
  return configProvider.create<SessionStoreFactory>(async (resolvedApp) => {
    const factory = await store.resolver(resolvedApp)
    return (ctx, config) => Object.assign(factory(ctx, config), { touch() {} })
  })
}

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'daicho-session',
  // No expiry on the cookie: it is dropped when the browser closes.
  clearWithBrowser: true,
  // How long the store keeps an unused session row: a backstop only. The idle and absolute
  // timeouts above are enforced (with a message) by app/middleware/session_lifetime_middleware.ts,
  // which needs the expired row to still be there to say why the user was logged out.
  age: '10h',
  cookie: {
    path: '/',
    httpOnly: true,
    // No Max-Age/Expires, so the browser drops the cookie when it closes. `clearWithBrowser`
    // alone is not enough: the app-wide cookie defaults (config/app.ts, maxAge 2h) are merged
    // into every cookie, so the session cookie outlived the browser. The session types do not
    // allow maxAge here, hence the spread.
    ...({ maxAge: undefined } as object),
    // Set SESSION_SECURE_COOKIE=false only for a plain-HTTP intranet trial.
    secure: env.get('SESSION_SECURE_COOKIE', app.inProduction),
    sameSite: 'lax',
  },
  // 'memory' (one process, lost on restart) is for the test suite.
  store: env.get('SESSION_DRIVER', 'database'),
  stores: {
    database: withoutTouch(stores.database()),
  },
})

export default sessionConfig
