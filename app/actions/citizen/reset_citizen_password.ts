import { inject } from '@adonisjs/core'
import type { Session } from '@adonisjs/session'
import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { revokeSessions } from '#services/auth/session_lifetime'
import { passwordResetVersion } from '#actions/citizen/request_citizen_password_reset'

/**
 * Why a reset link does not open the form: `invalid` (not signed by us, or altered),
 * `expired` (older than an hour), `used` (the password changed since it was sent: it was
 * used, or a later link was).
 */
export type ResetLinkRefusal = 'invalid' | 'expired' | 'used'

export type ResetLinkCheck =
  { ok: true; citizen: Citizen } | { ok: false; reason: ResetLinkRefusal }

/**
 * Sets a citizen's new password from a reset link: the link dies with the old password, every
 * other session of the account ends, and the address counts as confirmed (the link was read
 * in that mailbox). Refused links are audited too.
 */
@inject()
export default class ResetCitizenPassword {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  /** Checks a link whose signature the caller has verified (`signed` false when it did not). */
  async check(
    signed: boolean,
    id: number,
    query: Record<string, unknown>
  ): Promise<ResetLinkCheck> {
    const refuse = async (reason: ResetLinkRefusal, citizen?: Citizen | null) => {
      await this.auditLog.record({
        action: 'citizen.password_reset_refused',
        subject: citizen ?? null,
        details: { reason },
      })
      return { ok: false as const, reason }
    }
    if (!signed) return refuse('invalid')
    const citizen = await Citizen.find(id)
    if (!citizen) return refuse('invalid')
    const expiresAt = Number(query.e)
    if (!Number.isFinite(expiresAt)) return refuse('invalid', citizen)
    if (expiresAt * 1000 <= this.clock.now().toMillis()) return refuse('expired', citizen)
    if (query.v !== passwordResetVersion(citizen)) return refuse('used', citizen)
    return { ok: true, citizen }
  }

  /** `currentSession`: the request's, kept (under a new id) when the citizen is logged in on it. */
  async handle(citizen: Citizen, password: string, currentSession: Session | null): Promise<void> {
    const now = this.clock.now()
    citizen.merge({ password, failedLoginCount: 0, lockedUntil: null, lastLoginAt: now })
    if (!citizen.emailVerifiedAt) citizen.emailVerifiedAt = now
    const changedFields = AuditLogger.changedFieldsOf(citizen)
    await citizen.save()
    await revokeSessions('citizen', citizen.id, currentSession)
    await this.auditLog.record({
      action: 'citizen.password_reset',
      subject: citizen,
      changedFields,
      actor: { type: 'citizen', id: citizen.id, label: `citizen#${citizen.id}` },
    })
  }
}
