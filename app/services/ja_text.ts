import i18nManager from '@adonisjs/i18n/services/main'

/**
 * A UI label in Japanese, for documents that are always Japanese (CSV, PDF)
 * whatever the reader's language: one source of wording with the pages.
 * `data` fills the message's {placeholders}.
 */
export function jaText(key: string, data?: Record<string, unknown>): string {
  return i18nManager.locale('ja').t(key, data)
}
