import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'

export default class HttpExceptionHandler extends ExceptionHandler {
  /**
   * Stack traces only outside production.
   */
  protected debug = !app.inProduction

  /**
   * Users always get a Japanese error page (HTML requests); JSON clients get
   * a JSON body with the status.
   */
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { view }) => view.render('pages/errors/forbidden', { error }),
    '404': (error, { view }) => view.render('pages/errors/not_found', { error }),
    '429': (error, { view }) => view.render('pages/errors/too_many_requests', { error }),
    '500..599': (error, { view }) => view.render('pages/errors/server_error', { error }),
  }

  async handle(error: unknown, ctx: HttpContext) {
    // Unmatched routes skip the router middleware: give the error page its locale.
    if (!ctx.i18n) {
      ctx.i18n = i18nManager.locale(i18nManager.defaultLocale)
      ctx.view.share({ i18n: ctx.i18n, locale: ctx.i18n.locale })
    }
    // Bouncer's exception answers with plain text on its own; people get the page.
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE && ctx.request.accepts(['html', 'json']) === 'html') {
      return ctx.response.status(403).send(await ctx.view.render('pages/errors/forbidden'))
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
