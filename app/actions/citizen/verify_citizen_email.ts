import { inject } from '@adonisjs/core'
import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { verificationVersion } from '#actions/citizen/send_citizen_verification'

export type VerificationOutcome =
  | { outcome: 'verified'; citizen: Citizen }
  | { outcome: 'already_verified' }
  | { outcome: 'invalid' }

/**
 * Completes a registration from a verification link whose signature the
 * caller has already checked. The link must also match the account's current
 * password (the `v` tag), and it logs in only once: a link for an account
 * that is already verified is not a login link.
 */
@inject()
export default class VerifyCitizenEmail {
  constructor(
    private auditLog: AuditLogger,
    private clock: Clock
  ) {}

  async handle(id: number, version: unknown): Promise<VerificationOutcome> {
    const citizen = await Citizen.find(id)
    if (!citizen || typeof version !== 'string' || version !== verificationVersion(citizen)) {
      await this.auditLog.record({
        action: 'citizen.verify_email_refused',
        details: { reason: citizen ? 'stale_link' : 'unknown_account' },
      })
      return { outcome: 'invalid' }
    }
    if (citizen.emailVerifiedAt) return { outcome: 'already_verified' }

    const now = this.clock.now()
    citizen.emailVerifiedAt = now
    citizen.lastLoginAt = now
    await citizen.save()
    await this.auditLog.record({
      action: 'citizen.verify_email',
      subject: citizen,
      changedFields: ['emailVerifiedAt'],
      actor: { type: 'citizen', id: citizen.id, label: `citizen#${citizen.id}` },
    })
    return { outcome: 'verified', citizen }
  }
}
