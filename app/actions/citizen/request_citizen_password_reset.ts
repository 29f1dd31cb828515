import { createHash } from 'node:crypto'
import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import { appUrl } from '#actions/citizen/send_citizen_verification'
import CitizenPasswordResetMail from '#mails/citizen/citizen_password_reset_mail'

/** Signature purpose, so no other signed URL of the app can reset a password. */
export const PASSWORD_RESET_PURPOSE = 'citizen_password_reset'
export const PASSWORD_RESET_VALID_MINUTES = 60

/**
 * A tag of the account's current password hash, signed into the link: once the password has
 * been reset (a new hash), every link sent before stops working, so a link works only once.
 */
export function passwordResetVersion(citizen: Citizen): string {
  return createHash('sha256')
    .update(`${PASSWORD_RESET_PURPOSE}:${citizen.password}`)
    .digest('hex')
    .slice(0, 16)
}

/**
 * The signed link to the reset form. Its expiry (`e`, epoch seconds) is signed with it and
 * checked against the Clock, not the signature's own expiry, so tests can move time.
 */
export function makePasswordResetUrl(citizen: Citizen, expiresAt: number): string {
  return router.makeSignedUrl(
    'citizen.password_reset.edit',
    { id: citizen.id },
    {
      purpose: PASSWORD_RESET_PURPOSE,
      qs: { v: passwordResetVersion(citizen), e: expiresAt },
      prefixUrl: appUrl(),
    }
  )
}

/**
 * 「パスワードを忘れた方」: queues a reset link (valid one hour) when the address belongs to
 * an account; otherwise does nothing. The caller answers the same either way, so the form
 * never tells whether an address is registered. Rate limits are the route's.
 */
@inject()
export default class RequestCitizenPasswordReset {
  constructor(
    private auditLog: AuditLogger,
    private mailer: Mailer<MailTransportContract>,
    private clock: Clock
  ) {}

  async handle(email: string): Promise<void> {
    const citizen = await Citizen.findByEmail(email)
    if (!citizen || (citizen.isDemo && app.inProduction)) {
      await this.auditLog.record({
        action: 'citizen.password_reset_requested',
        details: { sent: false },
      })
      return
    }
    const expiresAt = this.clock.now().plus({ minutes: PASSWORD_RESET_VALID_MINUTES })
    await this.mailer.sendLater(
      new CitizenPasswordResetMail(
        citizen.email,
        makePasswordResetUrl(citizen, Math.floor(expiresAt.toSeconds()))
      )
    )
    await this.auditLog.record({
      action: 'citizen.password_reset_requested',
      subject: citizen,
      details: { sent: true },
    })
  }
}
