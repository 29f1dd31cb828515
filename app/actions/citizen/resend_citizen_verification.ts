import { inject } from '@adonisjs/core'
import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'
import SendCitizenVerification from '#actions/citizen/send_citizen_verification'

/**
 * Sends a new verification link when the address belongs to an account that
 * is not verified yet; otherwise does nothing. The caller shows the same
 * message either way, so this never tells whether an address is registered.
 */
@inject()
export default class ResendCitizenVerification {
  constructor(
    private auditLog: AuditLogger,
    private verification: SendCitizenVerification
  ) {}

  async handle(email: string): Promise<void> {
    const citizen = await Citizen.findByEmail(email)
    if (!citizen || citizen.emailVerifiedAt) return
    await this.verification.handle(citizen)
    await this.auditLog.record({ action: 'citizen.verification_resent', subject: citizen })
  }
}
