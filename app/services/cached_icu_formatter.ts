import { IntlMessageFormat } from 'intl-messageformat'
import type { TranslationsFormatterContract } from '@adonisjs/i18n/types'

/** What ICU syntax starts with: an argument or plural ({ }) and quoting ('). */
const ICU_SYNTAX = /[{}']/

/** Compiled messages kept at most (the translation files hold a few thousand). */
const MAX_MESSAGES = 10_000

/** One Intl formatter per locale and options, built on first use and kept. */
function memoised<T>(create: (locales?: string | string[], options?: object) => T) {
  const cache = new Map<string, T>()
  return (locales?: string | string[], options?: object): T => {
    const key = `${JSON.stringify(locales)}|${JSON.stringify(options ?? {})}`
    let formatter = cache.get(key)
    if (!formatter) {
      formatter = create(locales, options)
      cache.set(key, formatter)
    }
    return formatter
  }
}

const valueFormatters = {
  getNumberFormat: memoised((locales, options) => new Intl.NumberFormat(locales, options)),
  getDateTimeFormat: memoised((locales, options) => new Intl.DateTimeFormat(locales, options)),
  getPluralRules: memoised((locales, options) => new Intl.PluralRules(locales, options)),
}

/**
 * The ICU message formatter of @adonisjs/i18n (same options, same output) that
 * compiles each message once per locale: the stock one parses the message and
 * resolves the locale on every `i18n.t()`, about 0.1 ms, some 200 times a list page.
 */
export default class CachedIcuFormatter implements TranslationsFormatterContract {
  static #compiled = new Map<string, IntlMessageFormat>()

  readonly name = 'icu'

  /** Formats an ICU message string with the values. */
  format(message: string, locale: string, data?: Record<string, any>): string {
    // Most messages are plain text: without an argument, a plural or a quote, one is itself.
    if (!ICU_SYNTAX.test(message)) return message
    const key = `${locale}\u0000${message}`
    let compiled = CachedIcuFormatter.#compiled.get(key)
    if (!compiled) {
      if (CachedIcuFormatter.#compiled.size >= MAX_MESSAGES) CachedIcuFormatter.#compiled.clear()
      compiled = new IntlMessageFormat(message, locale, undefined, {
        formatters: valueFormatters,
        ignoreTag: true,
      })
      CachedIcuFormatter.#compiled.set(key, compiled)
    }
    return compiled.format(data || {}) as string
  }
}
