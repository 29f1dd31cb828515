import type { HttpContext } from '@adonisjs/core/http'
import DomainError, { type DomainErrorOptions } from '#exceptions/domain_error'

/** A message still to translate: its key and values. */
export interface Message {
  key: string
  data?: Record<string, unknown>
}

export interface RegisterRefusalOptions extends DomainErrorOptions {
  /**
   * Values of the message that are messages themselves, translated first: one
   * message (a subcontract's breach inside its parent's refusal), or a list
   * joined with 「、」 (the contracts that still list a data item).
   */
  nested?: Record<string, Message | Message[]>
}

/**
 * A refusal of the register (a contract its parent's special terms forbid, a
 * data item a contract still lists …): a DomainError whose message may quote
 * other messages.
 */
export default class RegisterRefusal extends DomainError {
  declare readonly options: RegisterRefusalOptions

  constructor(messageKey: string, options: RegisterRefusalOptions = {}) {
    super(messageKey, options)
  }

  translate(ctx: HttpContext): string {
    if (!ctx.i18n) return this.messageKey
    const nested = Object.fromEntries(
      Object.entries(this.options.nested ?? {}).map(([name, value]) => [
        name,
        Array.isArray(value)
          ? value.map((message) => ctx.i18n.t(message.key, message.data ?? {})).join('、')
          : ctx.i18n.t(value.key, value.data ?? {}),
      ])
    )
    return ctx.i18n.t(this.messageKey, { ...(this.options.data ?? {}), ...nested })
  }
}
