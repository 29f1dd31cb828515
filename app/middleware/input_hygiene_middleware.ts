import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Control characters nobody types: NUL (PostgreSQL refuses it in text and
 * the request would end in a 500) and the other C0 controls and DEL. Tab,
 * line feed and carriage return stay (textareas send CR LF).
 */
const CONTROL_CHARACTERS = /(?![\t\n\r\u0080-\u009f])\p{Cc}/gu

/** A percent-encoded byte outside ASCII: only then can the bytes of a field be invalid UTF-8. */
const ENCODED_HIGH_BYTE = /%[89a-f][0-9a-f]/i

/** Objects of parsed input (qs makes plain ones, the multipart parser prototype-less ones); not files. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value))

/** A string without control characters; a lone surrogate (not text) becomes U+FFFD. */
export function cleanText(value: string): string {
  const text = value.replace(CONTROL_CHARACTERS, '')
  return text.isWellFormed() ? text : text.toWellFormed()
}

/**
 * Input as text the database can store: control characters removed from
 * every value and key of a parsed body or query string (plain objects and
 * arrays only; uploaded files are left to the upload checks). `garbled`
 * collects the paths of values that were not well-formed Unicode.
 */
export function cleanInput(value: unknown, garbled: string[] = [], path = ''): unknown {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) garbled.push(path)
    return cleanText(value)
  }
  if (Array.isArray(value))
    return value.map((entry, index) =>
      cleanInput(entry, garbled, path ? `${path}.${index}` : String(index))
    )
  if (isPlainObject(value)) {
    const cleaned: Record<string, unknown> = {}
    for (const [key, entry] of Object.entries(value)) {
      const name = cleanText(key)
      cleaned[name] = cleanInput(entry, garbled, path ? `${path}.${name}` : name)
    }
    return cleaned
  }
  return value
}

/** The bytes a percent-encoded form value stands for (`+` is a space). */
function percentBytes(encoded: string): Buffer {
  const parts: Buffer[] = []
  const text = encoded.replace(/\+/g, ' ')
  let plain = ''
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3)
    if (text[index] === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
      if (plain) parts.push(Buffer.from(plain))
      plain = ''
      parts.push(Buffer.from([Number.parseInt(hex, 16)]))
      index += 2
    } else {
      plain += text[index]
    }
  }
  if (plain) parts.push(Buffer.from(plain))
  return Buffer.concat(parts)
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/**
 * Fields of a URL-encoded body whose percent-encoded bytes are not UTF-8
 * (a page saved as Shift_JIS, a hand-made request): the body parser keeps
 * such a value as its raw `%82%A0…` text, which would be saved garbled.
 * Field names as validation errors name them (`rows[0][name]` → `rows.0.name`).
 */
export function undecodableFields(rawBody: string): string[] {
  if (!ENCODED_HIGH_BYTE.test(rawBody)) return []
  const fields: string[] = []
  for (const pair of rawBody.split('&')) {
    if (!ENCODED_HIGH_BYTE.test(pair)) continue
    const separator = pair.indexOf('=')
    const key = separator < 0 ? pair : pair.slice(0, separator)
    const value = separator < 0 ? '' : pair.slice(separator + 1)
    if (isUtf8(percentBytes(key)) && isUtf8(percentBytes(value))) continue
    const name = cleanText(new TextDecoder('utf-8').decode(percentBytes(key)))
    fields.push(name.replace(/\[([^\]]*)\]/g, '.$1').replace(/\.$/, ''))
  }
  return fields
}

/**
 * Bad bytes in form input never reach the database or a 500:
 * - NUL and other control characters are removed from every field (and
 *   query string value) before validation;
 * - a form field that is not valid UTF-8 is refused like a validation
 *   error: the form comes back with what was typed and, under the field,
 *   「文字化けした文字…」 (JSON clients get 422).
 */
export default class InputHygieneMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    const garbled: string[] = []
    request.updateQs(cleanInput(request.qs()) as Record<string, any>)
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method())) {
      request.updateBody(cleanInput(request.body(), garbled) as Record<string, any>)
      // What a refused form flashes back (the session may be stored in the database): cleaned too.
      const original = Object.freeze(cleanInput(request.original())) as Record<string, any>
      request.original = () => original
      const raw = request.raw()
      if (raw && request.is(['application/x-www-form-urlencoded']))
        garbled.push(...undecodableFields(raw))
    }
    if (garbled.length === 0) return next()
    return this.#refuse(ctx, [...new Set(garbled)])
  }

  #refuse({ request, response, session }: HttpContext, fields: string[]) {
    // Runs before the user's language is known (detect_user_locale comes later): the default language.
    const i18n = i18nManager.locale(i18nManager.defaultLocale)
    const garbledMessage = i18n.t('messages.input.garbled')
    const messages = fields.map((field) => ({
      field: field || 'body',
      message: garbledMessage,
      rule: 'encoding',
    }))
    if (request.accepts(['html', 'json']) === 'json' || !session) {
      return response.status(422).send({ errors: messages })
    }
    const errors = Object.fromEntries(messages.map(({ field, message }) => [field, [message]]))
    session.flashExcept(['_csrf', '_method', 'password', 'password_confirmation'])
    session.flashErrors({ E_INVALID_INPUT: i18n.t('messages.input.garbled_summary') })
    session.flash('inputErrorsBag', errors)
    session.flash('errors', errors)
    return response.redirect().back()
  }
}
