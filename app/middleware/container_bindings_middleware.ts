import { Logger } from '@adonisjs/core/logger'
import { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import AuditLogger from '#services/audit_logger'

/**
 * Binds the request's HttpContext, logger and audit logger into the container so that
 * injected services receive the per-request instances, and gives the request its
 * `ctx.auditLog` (the app does not use AsyncLocalStorage: see AuditLogger.forRequest).
 */
export default class ContainerBindingsMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.containerResolver.bindValue(HttpContext, ctx)
    ctx.containerResolver.bindValue(Logger, ctx.logger)
    ctx.auditLog = AuditLogger.forRequest(ctx)
    ctx.containerResolver.bindValue(AuditLogger, ctx.auditLog)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    auditLog: AuditLogger
  }
}
