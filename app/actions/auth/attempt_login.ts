import type { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import type LoginThrottle from '#services/auth/login_throttle'
import { LOGIN_LIMITS } from '#services/auth/login_throttle'

/** What a user or citizen account needs for password login. */
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
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/** Wrong passwords from one IP (or one known browser) for one login id before it is blocked there. */
export const MAX_FAILED_LOGINS = LOGIN_LIMITS.ipAccount.requests

/**
 * Checks a password against an account. Failed logins only are counted by
 * the throttle (see LoginThrottle): a blocked attempt is refused before the
 * password is looked at, with the same outcome whether or not the login id
 * exists. Every outcome is written to the audit log.
 */
@inject()
export default class AttemptLogin {
  /** The clock stamps the last login (`new AttemptLogin(auditLog)` uses the real one). */
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock = new Clock()
  ) {}

  /** Tries the password; `account` is null when the login id is unknown. */
  async handle<T extends LockableAccount>(
    account: T | null,
    password: string,
    options: {
      accountType: 'User' | 'Citizen'
      demoAllowed: boolean
      isActive?: boolean
      throttle?: LoginThrottle
    }
  ): Promise<LoginOutcome<T>> {
    const subject = account ? { type: options.accountType, id: account.id } : null
    const throttle = options.throttle

    if (throttle) {
      const state = await throttle.check()
      if (state.blocked) {
        await this.auditLog.record({
          action: 'auth.login_throttled',
          subject,
          details: { scope: state.scope },
        })
        return { ok: false, reason: 'throttled', retryAfterSeconds: state.retryAfterSeconds }
      }
    }

    if (!account) {
      // Same work as a real check, so response times do not reveal which ids exist.
      await hash.make(password)
      await this.auditLog.record({
        action: 'auth.login_failed',
        details: { reason: 'unknown_account' },
      })
      return this.#failed(throttle, null)
    }

    if (!(await hash.verify(account.password, password))) {
      account.failedLoginCount += 1
      await account.save()
      await this.auditLog.record({
        action: 'auth.login_failed',
        subject,
        details: { reason: 'wrong_password' },
      })
      return this.#failed(throttle, subject)
    }

    if (account.isDemo && !options.demoAllowed) {
      await this.auditLog.record({
        action: 'auth.login_refused',
        subject,
        details: { reason: 'demo_account' },
      })
      return { ok: false, reason: 'demo_disabled' }
    }
    if (options.isActive === false) {
      await this.auditLog.record({
        action: 'auth.login_refused',
        subject,
        details: { reason: 'inactive' },
      })
      return { ok: false, reason: 'inactive' }
    }

    account.failedLoginCount = 0
    account.lockedUntil = null
    account.lastLoginAt = this.clock.now()
    await account.save()
    await throttle?.recordSuccess()
    await this.auditLog.record({
      action: 'auth.login',
      subject,
      actor: {
        type: options.accountType === 'User' ? 'user' : 'citizen',
        id: account.id,
        label: null,
      },
    })
    return { ok: true, account }
  }

  /** Counts the failure; the one that starts a block already says so. */
  async #failed(
    throttle: LoginThrottle | undefined,
    subject: { type: string; id: number } | null
  ): Promise<LoginOutcome<never>> {
    const state = throttle ? await throttle.recordFailure() : { blocked: false as const }
    if (!state.blocked) return { ok: false, reason: 'invalid' }
    await this.auditLog.record({
      action: 'auth.login_blocked',
      subject,
      details: { scope: state.scope },
    })
    return { ok: false, reason: 'throttled', retryAfterSeconds: state.retryAfterSeconds }
  }
}
