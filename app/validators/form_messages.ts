import i18nManager from '@adonisjs/i18n/services/main'
import type { I18n } from '@adonisjs/i18n'
import type { VineValidator } from '@vinejs/vine'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'

/*
|--------------------------------------------------------------------------
| Validation messages that name the form's own fields
|--------------------------------------------------------------------------
|
| Every form validator is `labelled`: for each field it gives the i18n key
| of the label its form shows (`subject: 'opinions.fields.subject'`), so a
| message names the field as the form does. Two forms may use one field
| name for different things (`kind` is 「種別」 of an opinion and
| 「事故の種別」 of an incident): each says its own. A field the user
| chooses (select, radio buttons, checkboxes, a file) is marked `choice(…)`:
| missing, it reads 「〇〇を選択してください」.
|
| The message texts are shared (validator.shared.messages in
| resources/lang/<locale>/validator.json); a validator may add its own under
| another prefix (`messages`), looked up first. tests/unit/form_messages.spec.ts
| checks that every field of every validator has a label in each locale.
|
*/

/**
 * A field's label: the i18n key of the text its form shows, whether the user chooses it, and
 * for a text with placeholders (「{medium}の詳細」) the i18n keys of their values.
 */
export interface FieldLabel {
  key: string
  choice: boolean
  data?: Record<string, string>
}

/** Labels by field name, or by path for a field inside a list of rows (`members.*.fullName`). */
export type FieldLabels = Record<string, string | FieldLabel>

/** A field the user chooses (select, radio buttons, checkboxes, a file). */
export const choice = (key: string): FieldLabel => ({ key, choice: true })

/** A label whose text has placeholders, each filled with the text of another key. */
export const phrase = (key: string, data: Record<string, string>): FieldLabel => ({
  key,
  choice: false,
  data,
})

const SHARED_MESSAGES = 'validator.shared.messages'

/** What a field without a label is called (never its name in the code). */
const UNLABELLED = 'validator.shared.unlabelled'

/** Rules that refuse an entry's type; the message then says the list holds a value it cannot take. */
const ENTRY_TYPE_RULES = new Set([
  'number',
  'withoutDecimals',
  'enum',
  'object',
  'string',
  'boolean',
  'array',
  'date',
])

export class FormMessagesProvider implements MessagesProviderContact {
  constructor(
    readonly i18n: I18n,
    readonly labels: FieldLabels = {},
    readonly messagesPrefix: string | null = null
  ) {}

  /**
   * The same locale with a validator's labels and messages; labels given to this provider
   * (a variant of the form, e.g. a subcontract's) win over the validator's.
   */
  forValidator(labels: FieldLabels, messagesPrefix: string | null): FormMessagesProvider {
    return new FormMessagesProvider(
      this.i18n,
      { ...labels, ...this.labels },
      this.messagesPrefix ?? messagesPrefix
    )
  }

  /** The label of a field (by path, then by name), or null when the validator gives none. */
  labelOf(path: string, name: string): FieldLabel | null {
    const label = this.labels[path] ?? this.labels[name]
    if (label === undefined) return null
    return typeof label === 'string' ? { key: label, choice: false } : label
  }

  getMessage(
    defaultMessage: string,
    rule: string,
    field: FieldContext,
    meta?: Record<string, any>
  ): string {
    let path = field.wildCardPath
    let name = String(field.name)
    // An entry of a list (`auditorIds.0`) is named by its list: 「調査員に正しくない値が含まれています」.
    if (field.isArrayMember) {
      path = path.replace(/\.\*$/, '')
      name =
        path
          .split('.')
          .filter((part) => part !== '*')
          .pop() ?? name
      if (ENTRY_TYPE_RULES.has(rule)) rule = 'array.entry'
    }
    const label = this.labelOf(path, name)
    const data: Record<string, unknown> = { ...meta, field: this.#text(label) }
    if (typeof meta?.otherField === 'string') {
      data.otherField = this.#text(this.labelOf(meta.otherField, meta.otherField))
    }
    const prefixes = [this.messagesPrefix, SHARED_MESSAGES].filter((prefix) => prefix !== null)
    const keys = [
      ...prefixes.map((prefix) => `${prefix}.${path}.${rule}`),
      ...(label?.choice ? prefixes.map((prefix) => `${prefix}.choice.${rule}`) : []),
      ...prefixes.map((prefix) => `${prefix}.${rule}`),
    ]
    for (const key of keys) {
      const found = this.i18n.resolveIdentifier(key)
      if (found) return this.i18n.formatRawMessage(found.message, data)
    }
    // A rule without a translation: its own message (custom rules write it in Japanese).
    return defaultMessage.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, key) => String(data[key] ?? ''))
  }

  #text(label: FieldLabel | null): string {
    const data = Object.fromEntries(
      Object.entries(label?.data ?? {}).map(([name, key]) => [name, this.i18n.t(key)])
    )
    return this.i18n.t(label?.key ?? UNLABELLED, data)
  }
}

/** Labels of each labelled validator (for the test that checks every field has one). */
const labelsOfValidators = new WeakMap<object, FieldLabels>()

export function labelsOf(validator: object): FieldLabels | undefined {
  return labelsOfValidators.get(validator)
}

/**
 * The default locale, for a validator called without a request's messages: jobs, commands.
 * A request validates with `request.validateUsing` (also for its query string, `{ data }`),
 * which gives the user's locale (detect_user_locale_middleware).
 */
function defaultI18n(): I18n {
  return i18nManager.locale(i18nManager.defaultLocale)
}

/**
 * Gives a compiled validator its form's labels (and, optionally, messages of
 * its own under `messages`, e.g. 'data_items.validator.messages'). Its
 * messages are then in the user's locale through `request.validateUsing`
 * (the query string too: `{ data: request.qs() }`), Japanese elsewhere.
 */
export function labelled<Validator extends VineValidator<any, any>>(
  validator: Validator,
  labels: FieldLabels,
  options: { messages?: string } = {}
): Validator {
  const validate = validator.validate
  const messagesPrefix = options.messages ?? null
  validator.validate = ((data: unknown, validateOptions?: Record<string, any>) => {
    const given = validateOptions?.messagesProvider
    const messagesProvider =
      given instanceof FormMessagesProvider
        ? given.forValidator(labels, messagesPrefix)
        : (given ?? new FormMessagesProvider(defaultI18n(), labels, messagesPrefix))
    return validate(data, { ...validateOptions, messagesProvider })
  }) as Validator['validate']
  labelsOfValidators.set(validator, labels)
  return validator
}
