import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'

/** Input never sent back to a form after a refusal. */
const NEVER_KEPT = ['_csrf', '_method', 'password', 'password_confirmation', 'current_password']

export interface DomainErrorOptions {
  /** The form field the message shows under; `form` (the error summary) when none. */
  field?: string
  /** Values for the translation of the message. */
  data?: Record<string, unknown>
  /** Where the browser goes instead of back to the form. */
  redirectTo?: { route: string; params?: Record<string, unknown> }
  /** The 4xx status (422 by default). */
  status?: number
  /** Whether the typed input comes back with the form (default true). */
  keepInput?: boolean
}

/**
 * A refusal by the rules of the domain (a prohibited item without its
 * approval, a contract end before its start …). Actions and services throw
 * it; this one handler turns it into a Japanese message on the field with
 * the input kept (forms), or a 4xx JSON body `{ errors: [{ field, message,
 * code }] }` (JSON clients). `messageKey` is an i18n key.
 */
export default class DomainError extends Exception {
  static status = 422
  static code = 'E_DOMAIN'

  constructor(
    readonly messageKey: string,
    readonly options: DomainErrorOptions = {}
  ) {
    super(messageKey, { status: options.status ?? DomainError.status, code: DomainError.code })
  }

  get field(): string {
    return this.options.field ?? 'form'
  }

  /** The Japanese (or English) message for the user's locale. */
  translate(ctx: HttpContext): string {
    return ctx.i18n ? ctx.i18n.t(this.messageKey, this.options.data ?? {}) : this.messageKey
  }

  async handle(_error: this, ctx: HttpContext) {
    const message = this.translate(ctx)
    const wantsHtml = ctx.request.accepts(['html', 'json']) === 'html'
    if (!wantsHtml || !ctx.session) {
      return ctx.response
        .status(this.status)
        .send({ errors: [{ field: this.field, message, code: this.messageKey }] })
    }
    if (this.options.keepInput !== false) ctx.session.flashExcept(NEVER_KEPT)
    ctx.session.flash('errors', { [this.field]: [message] })
    const target = this.options.redirectTo
    if (target) return ctx.response.redirect().toRoute(target.route, target.params ?? {})
    return ctx.response.redirect().back()
  }
}
