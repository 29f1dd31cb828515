import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { TrustProxyFn } from '#services/auth/trusted_proxies'

/** A request id a proxy may hand on: what fits the audit log's column (nginx's $request_id does). */
const PASSED_ON_ID = /^[\w.:-]{1,64}$/

/**
 * Every request gets its own id, which the logs, the error reports, the audit log and the
 * X-Request-Id response header carry. AdonisJS took a client's X-Request-Id as it came: anyone
 * could choose the id the audit log records, and on PostgreSQL one longer than its column
 * (64) made the audit entry fail, so a failed login went unrecorded. A proxy listed in
 * TRUSTED_PROXIES may still hand on its own id (to follow a request from the proxy's log), when
 * it is a plain token of at most 64 characters; any other id is replaced by a new one.
 * First of the server middleware, before anything logs.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    const passedOn = headers['x-request-id']
    const trustProxy = app.config.get<TrustProxyFn>('app.http.trustProxy')
    const peer = ctx.request.request.socket.remoteAddress ?? ''
    const id =
      typeof passedOn === 'string' && PASSED_ON_ID.test(passedOn) && trustProxy(peer, 0)
        ? passedOn
        : randomUUID()
    headers['x-request-id'] = id
    ctx.logger = logger.child({ request_id: id })
    return next()
  }
}
