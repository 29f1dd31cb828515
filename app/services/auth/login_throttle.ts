import { createHmac, randomBytes } from 'node:crypto'
import type { Request, Response } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import { appKey } from '#config/app'

/**
 * Login throttling counts failed logins only, so a busy office behind one
 * proxy never trips it by logging in. Three counters, all keyed on the login
 * id as typed (never on whether the account exists, so unknown and known ids
 * behave the same):
 *
 * - per IP + login id: 5 failures in 15 minutes block that IP (or that known
 *   browser, see below) for that id for 15 minutes. This stops a guesser
 *   without locking the owner out from anywhere else;
 * - per login id, from everywhere: 20 failures an hour block the id for 30
 *   minutes, but only for browsers that have never logged in to it;
 * - per IP, across ids: a higher ceiling of 100 failures in 15 minutes
 *   (password spraying), again not applied to known browsers.
 *
 * A "known browser" carries an encrypted device cookie that a successful login
 * sets (OWASP's device-cookie scheme): the owner's usual browser keeps working
 * however many failures others cause, so nobody can keep an account locked.
 */
export const LOGIN_LIMITS = {
  ipAccount: { requests: 5, duration: '15 minutes', blockDuration: '15 minutes' },
  account: { requests: 20, duration: '1 hour', blockDuration: '30 minutes' },
  ip: { requests: 100, duration: '15 minutes', blockDuration: '15 minutes' },
} as const

export type ThrottleScope = keyof typeof LOGIN_LIMITS

export type ThrottleState =
  { blocked: false } | { blocked: true; scope: ThrottleScope; retryAfterSeconds: number }

const DEVICE_COOKIE = 'login_device'
const DEVICE_COOKIE_MAX_AGE = '180d'
const MAX_ACCOUNTS_PER_DEVICE = 20

interface DeviceCookie {
  id: string
  accounts: string[]
}

export default class LoginThrottle {
  readonly #request: Request
  readonly #response: Response
  readonly #accountType: 'User' | 'Citizen'
  /** Keyed digest of the login id: no address is stored in the rate-limit table. */
  readonly #loginKey: string
  readonly #device: DeviceCookie | null

  constructor(
    request: Request,
    response: Response,
    accountType: 'User' | 'Citizen',
    loginId: string
  ) {
    this.#request = request
    this.#response = response
    this.#accountType = accountType
    this.#loginKey = digest(`${accountType}:${loginId.trim().toLowerCase()}`)
    this.#device = readDevice(request.encryptedCookie(DEVICE_COOKIE))
  }

  /** True when this browser has logged in to this login id before. */
  get knownDevice(): boolean {
    return this.#device !== null && this.#device.accounts.includes(this.#loginKey)
  }

  /** Whether the attempt may go ahead; blocked attempts are not checked at all. */
  async check(): Promise<ThrottleState> {
    for (const scope of this.#scopes()) {
      const state = await limiterFor(scope).get(this.#key(scope))
      if (state && state.remaining <= 0) {
        return { blocked: true, scope, retryAfterSeconds: state.availableIn }
      }
    }
    return { blocked: false }
  }

  /** Counts a failed login; reports the block it started, if any. */
  async recordFailure(): Promise<ThrottleState> {
    let started: ThrottleState = { blocked: false }
    for (const scope of this.#scopes()) {
      const scopeLimiter = limiterFor(scope)
      const key = this.#key(scope)
      const state = await scopeLimiter.increment(key)
      if (state.consumed >= state.limit) {
        const blocked = await scopeLimiter.block(key, LOGIN_LIMITS[scope].blockDuration)
        if (!started.blocked)
          started = { blocked: true, scope, retryAfterSeconds: blocked.availableIn }
      }
    }
    return started
  }

  /** Clears this client's failures for the id and remembers the browser. */
  async recordSuccess(): Promise<void> {
    await limiterFor('ipAccount').delete(this.#key('ipAccount'))
    const device: DeviceCookie = this.#device ?? {
      id: randomBytes(16).toString('hex'),
      accounts: [],
    }
    const accounts = [
      this.#loginKey,
      ...device.accounts.filter((key) => key !== this.#loginKey),
    ].slice(0, MAX_ACCOUNTS_PER_DEVICE)
    this.#response.encryptedCookie(
      DEVICE_COOKIE,
      { id: device.id, accounts },
      {
        maxAge: DEVICE_COOKIE_MAX_AGE,
        httpOnly: true,
        sameSite: 'lax',
      }
    )
  }

  /** A known browser is limited on its own per-id counter only. */
  #scopes(): ThrottleScope[] {
    return this.knownDevice ? ['ipAccount'] : ['ipAccount', 'account', 'ip']
  }

  #key(scope: ThrottleScope): string {
    switch (scope) {
      case 'ipAccount':
        return this.knownDevice
          ? `login_device:${digest(this.#device!.id)}:${this.#loginKey}`
          : `login_ip_account:${this.#request.ip()}:${this.#loginKey}`
      case 'account':
        return `login_account:${this.#loginKey}`
      case 'ip':
        return `login_ip:${this.#accountType}:${this.#request.ip()}`
    }
  }
}

function limiterFor(scope: ThrottleScope) {
  const { requests, duration, blockDuration } = LOGIN_LIMITS[scope]
  return limiter.use({ requests, duration, blockDuration })
}

function digest(value: string): string {
  return createHmac('sha256', appKey.release())
    .update(`login-throttle:${value}`)
    .digest('hex')
    .slice(0, 32)
}

function readDevice(value: unknown): DeviceCookie | null {
  if (!value || typeof value !== 'object') return null
  const { id, accounts } = value as Partial<DeviceCookie>
  if (typeof id !== 'string' || !Array.isArray(accounts)) return null
  return { id, accounts: accounts.filter((key): key is string => typeof key === 'string') }
}
