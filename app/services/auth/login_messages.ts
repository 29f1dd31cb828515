import type { I18n } from '@adonisjs/i18n'
import type { LoginOutcome } from '#actions/auth/attempt_login'

/**
 * The message shown on the login form for a refused login. A throttled
 * login gets the same words for every login id, existing or not.
 */
export function loginFailureMessage(
  outcome: Exclude<LoginOutcome<unknown>, { ok: true }>,
  i18n: I18n
): string {
  if (outcome.reason === 'throttled') {
    return i18n.t('messages.auth.throttled_for', {
      minutes: Math.max(1, Math.ceil(outcome.retryAfterSeconds / 60)),
    })
  }
  return i18n.t(`messages.auth.${outcome.reason}`)
}
