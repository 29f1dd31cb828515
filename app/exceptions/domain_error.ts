import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import type { I18n } from '@adonisjs/i18n'

/** Input never sent back to a form after a refusal. */
const NEVER_KEPT = ['_csrf', '_method', 'password', 'password_confirmation', 'current_password']

/** A message still to translate; a value of its data may be a message itself, or a list of them (joined with 「、」). */
export interface MessageRef {
  key: string
  data?: Record<string, unknown>
}

/** One problem of a refusal: the field it concerns and its message. */
export interface FieldProblem {
  field: string
  message: MessageRef | string
  /** The code JSON clients get (the message key by default). */
  code?: string
}

export interface DomainErrorOptions {
  /** The form field the message shows under; `form` (the error summary) when none. */
  field?: string
  /** Values for the translation of the message (a value may be a MessageRef or a list of them). */
  data?: Record<string, unknown>
  /** The message already translated (a validation message), shown instead of `messageKey`'s. */
  text?: string
  /** The code JSON clients get (`messageKey` by default). */
  code?: string
  /** Further problems of the same refusal (each on its own field), e.g. every refused row of a table. */
  more?: FieldProblem[]
  /** Where the browser goes instead of back to the form. */
  redirectTo?: { route: string; params?: Record<string, unknown> }
  /** The 4xx status (422 by default). */
  status?: number
  /** Whether the typed input comes back with the form (default true). */
  keepInput?: boolean
}

const isMessageRef = (value: unknown): value is MessageRef =>
  typeof value === 'object' && value !== null && typeof (value as MessageRef).key === 'string'

/** Translates a message, its nested messages first. */
export function translateMessage(i18n: I18n, message: MessageRef | string): string {
  if (typeof message === 'string') return message
  const data = Object.fromEntries(
    Object.entries(message.data ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) && value.every(isMessageRef)
        ? value.map((nested) => translateMessage(i18n, nested)).join('、')
        : isMessageRef(value)
          ? translateMessage(i18n, value)
          : value,
    ])
  )
  return i18n.t(message.key, data)
}

/**
 * A refusal by the rules of the domain (a prohibited item without its
 * approval, a contract end before its start …). Actions and services throw
 * it; this one handler turns it into the Japanese message on the field with
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

  /** Every problem of the refusal: the main message first. */
  get problems(): FieldProblem[] {
    const main = {
      field: this.field,
      message: this.options.text ?? { key: this.messageKey, data: this.options.data },
      code: this.options.code ?? this.messageKey,
    }
    return [main, ...(this.options.more ?? [])]
  }

  /** The main message in the user's language. */
  translate(ctx: HttpContext): string {
    if (this.options.text !== undefined) return this.options.text
    if (!ctx.i18n) return this.messageKey
    return translateMessage(ctx.i18n, { key: this.messageKey, data: this.options.data })
  }

  async handle(_error: this, ctx: HttpContext) {
    const errors = this.problems.map((problem) => ({
      field: problem.field,
      message: ctx.i18n ? translateMessage(ctx.i18n, problem.message) : this.messageKey,
      code:
        problem.code ??
        (typeof problem.message === 'string' ? this.messageKey : problem.message.key),
    }))
    const wantsHtml = ctx.request.accepts(['html', 'json']) === 'html'
    if (!wantsHtml || !ctx.session) {
      return ctx.response.status(this.status).send({ errors })
    }
    if (this.options.keepInput !== false) ctx.session.flashExcept(NEVER_KEPT)
    const byField: Record<string, string[]> = {}
    for (const { field, message } of errors) (byField[field] ??= []).push(message)
    ctx.session.flash('errors', byField)
    const target = this.options.redirectTo
    if (target) return ctx.response.redirect().toRoute(target.route, target.params ?? {})
    return ctx.response.redirect().back()
  }
}
