import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'

/**
 * Database errors caused by the values sent, not by the system:
 * PostgreSQL's data exceptions (class 22: too long, out of range, NUL,
 * bad encoding, malformed number/date) and foreign-key violations (23503);
 * SQLite's foreign-key and type-mismatch errors.
 */
const BAD_INPUT_SQLITE_CODES = new Set([
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  'SQLITE_MISMATCH',
  'SQLITE_TOOBIG',
])

export function isBadInputDatabaseError(error: unknown): boolean {
  if (!error || typeof error !== 'object' || !('code' in error)) return false
  const code = String((error as { code: unknown }).code)
  if (BAD_INPUT_SQLITE_CODES.has(code)) return true
  // pg errors carry a five-character SQLSTATE and a severity.
  return 'severity' in error && (/^22[0-9A-Z]{3}$/.test(code) || code === '23503')
}

const badRequestPage: StatusPageRenderer = (error, { view }) =>
  view.render('pages/errors/bad_request', { error })

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
    // Any other refusal (a malformed body, an unsupported encoding …). The ranges leave out the
    // codes with their own page: integer keys come first in an object, a range would override them.
    '400..402': badRequestPage,
    '405..412': badRequestPage,
    '414..428': badRequestPage,
    '430..499': badRequestPage,
    '403': (error, { view }) => view.render('pages/errors/forbidden', { error }),
    '404': (error, { view }) => view.render('pages/errors/not_found', { error }),
    '413': (error, { view }) => view.render('pages/errors/too_large', { error }),
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
    if (
      error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE &&
      ctx.request.accepts(['html', 'json']) === 'html'
    ) {
      return ctx.response.status(403).send(await ctx.view.render('pages/errors/forbidden'))
    }
    if (isBadInputDatabaseError(error)) return this.#refuseBadInput(error, ctx)
    return super.handle(error, ctx)
  }

  /**
   * A value the database refuses (an id that is not in its table, a number
   * or text too large for its column, bytes it cannot store) is the
   * sender's mistake, not a fault of the system: a form comes back with
   * what was typed and a Japanese message; a page (GET) or a JSON client
   * gets 422.
   */
  async #refuseBadInput(error: unknown, ctx: HttpContext) {
    ctx.logger.warn({ err: error }, 'input refused by the database')
    const message = ctx.i18n.t('messages.errors.bad_input_text')
    if (
      ctx.request.method() !== 'GET' &&
      ctx.session &&
      ctx.request.accepts(['html', 'json']) === 'html'
    ) {
      ctx.session.flashExcept(['_csrf', '_method', 'password', 'password_confirmation'])
      ctx.session.flashErrors({ E_INVALID_INPUT: message })
      return ctx.response.redirect().back()
    }
    if (ctx.request.accepts(['html', 'json']) === 'json') {
      return ctx.response.status(422).send({ errors: [{ message, rule: 'database' }] })
    }
    return ctx.response
      .status(422)
      .send(await ctx.view.render('pages/errors/bad_request', { error }))
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
