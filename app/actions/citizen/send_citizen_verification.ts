import { createHash } from 'node:crypto'
import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import env from '#start/env'
import type Citizen from '#models/citizen'
import CitizenVerificationMail from '#mails/citizen/citizen_verification_mail'

/** Signature purpose, so no other signed URL of the app can verify an email. */
export const VERIFICATION_PURPOSE = 'citizen_email_verification'
export const VERIFICATION_EXPIRES_IN = '24h'

export function appUrl(): string {
  return env.get('APP_URL', 'http://localhost:3333').replace(/\/+$/, '')
}

/**
 * A tag of the account's current password hash. It is part of the signed
 * link, so when a repeated registration replaces the pending password, links
 * sent for the earlier one stop working.
 */
export function verificationVersion(citizen: Citizen): string {
  return createHash('sha256').update(citizen.password).digest('hex').slice(0, 16)
}

/** The signed, expiring link to GET citizen.verification.verify. */
export function makeVerificationUrl(
  citizen: Citizen,
  expiresIn: string | number = VERIFICATION_EXPIRES_IN
): string {
  return router.makeSignedUrl(
    'citizen.verification.verify',
    { id: citizen.id },
    {
      expiresIn,
      purpose: VERIFICATION_PURPOSE,
      qs: { v: verificationVersion(citizen) },
      prefixUrl: appUrl(),
    }
  )
}

/** Queues the verification mail to the citizen's address (sent after the response). */
@inject()
export default class SendCitizenVerification {
  constructor(private mailer: Mailer<MailTransportContract>) {}

  async handle(citizen: Citizen): Promise<void> {
    await this.mailer.sendLater(
      new CitizenVerificationMail(citizen.email, makeVerificationUrl(citizen))
    )
  }
}
