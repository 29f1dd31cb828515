import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import AuditLogger from '#services/audit_logger'

/** What a user or citizen account needs for password login with lockout. */
export interface LockableAccount {
  id: number
  password: string
  isDemo: boolean
  failedLoginCount: number
  lockedUntil: DateTime | null
  lastLoginAt: DateTime | null
  save(): Promise<unknown>
}

export type LoginOutcome<T> =
  | { ok: true; account: T }
  | { ok: false; reason: 'invalid' | 'demo_disabled' | 'inactive' }
  | { ok: false; reason: 'locked'; lockedUntil: DateTime }

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15

/**
 * Checks a password against an account with per-account lockout: after
 * five wrong passwords in a row the account is locked for 15 minutes, even
 * for the right password. Every outcome is written to the audit log.
 */
export default class AttemptLogin {
  /** Tries the password; `account` is null when the login id is unknown. */
  async handle<T extends LockableAccount>(
    account: T | null,
    password: string,
    options: { accountType: 'User' | 'Citizen'; demoAllowed: boolean; isActive?: boolean }
  ): Promise<LoginOutcome<T>> {
    const subject = account ? { type: options.accountType, id: account.id } : null
    if (!account) {
      // Same work as a real check, so response times do not reveal which ids exist.
      await hash.make(password)
      await AuditLogger.record({ action: 'auth.login_failed', details: { reason: 'unknown_account' } })
      return { ok: false, reason: 'invalid' }
    }

    const now = DateTime.now()
    if (account.lockedUntil && account.lockedUntil > now) {
      await AuditLogger.record({ action: 'auth.login_refused', subject, details: { reason: 'locked' } })
      return { ok: false, reason: 'locked', lockedUntil: account.lockedUntil }
    }

    if (!(await hash.verify(account.password, password))) {
      account.failedLoginCount += 1
      const locks = account.failedLoginCount >= MAX_FAILED_LOGINS
      if (locks) {
        account.lockedUntil = now.plus({ minutes: LOCKOUT_MINUTES })
        account.failedLoginCount = 0
      }
      await account.save()
      await AuditLogger.record({
        action: locks ? 'auth.account_locked' : 'auth.login_failed',
        subject,
        details: { reason: 'wrong_password' },
      })
      return locks ? { ok: false, reason: 'locked', lockedUntil: account.lockedUntil! } : { ok: false, reason: 'invalid' }
    }

    if (account.isDemo && !options.demoAllowed) {
      await AuditLogger.record({ action: 'auth.login_refused', subject, details: { reason: 'demo_account' } })
      return { ok: false, reason: 'demo_disabled' }
    }
    if (options.isActive === false) {
      await AuditLogger.record({ action: 'auth.login_refused', subject, details: { reason: 'inactive' } })
      return { ok: false, reason: 'inactive' }
    }

    account.failedLoginCount = 0
    account.lockedUntil = null
    account.lastLoginAt = now
    await account.save()
    await AuditLogger.record({ action: 'auth.login', subject, actor: { type: options.accountType === 'User' ? 'user' : 'citizen', id: account.id, label: null } })
    return { ok: true, account }
  }
}
