import type { I18n } from '@adonisjs/i18n'
import type { LoginOutcome } from '#actions/auth/attempt_login'
import WardCalendar from '#services/ward_calendar'

/** The message shown on the login form for a refused login. */
export function loginFailureMessage(outcome: Exclude<LoginOutcome<unknown>, { ok: true }>, i18n: I18n): string {
  if (outcome.reason === 'locked') {
    return i18n.t('messages.auth.locked', { until: WardCalendar.formatEraDateTime(outcome.lockedUntil) })
  }
  return i18n.t(`messages.auth.${outcome.reason}`)
}
