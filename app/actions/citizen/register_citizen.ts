import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import { Mailer } from '@adonisjs/mail'
import type { MailTransportContract } from '@adonisjs/mail/types'
import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'
import SendCitizenVerification, { appUrl } from '#actions/citizen/send_citizen_verification'
import { CitizenAlreadyRegisteredMail } from '#mails/citizen/citizen_verification_mail'

export interface CitizenRegistration {
  fullName: string
  email: string
  phone?: string
  password: string
}

/**
 * - `created`: a new, unverified account; a verification mail is queued.
 * - `replaced_pending`: the address belonged to an account that was never
 *   verified; its name, phone and password were replaced by this
 *   registration and a new verification mail is queued (links sent earlier
 *   stop working).
 * - `already_verified`: the address belongs to a verified account; nothing
 *   changed, and a notice is queued for that address.
 *
 * The caller must show the same page in all three cases, so the form never
 * reveals whether an address is registered.
 */
export type RegistrationOutcome = {
  outcome: 'created' | 'replaced_pending' | 'already_verified'
  citizen: Citizen
}

/**
 * Registers a citizen account (unverified, not logged in) and queues the
 * verification mail (sent after the response: a relay that is down never
 * fails the registration). The email is unique through its blind index.
 */
@inject()
export default class RegisterCitizen {
  constructor(
    private auditLog: AuditLogger,
    private mailer: Mailer<MailTransportContract>,
    private verification: SendCitizenVerification
  ) {}

  async handle(input: CitizenRegistration): Promise<RegistrationOutcome> {
    const existing = await Citizen.findByEmail(input.email)

    if (existing?.emailVerifiedAt) {
      // Same scrypt work as the other paths, so timing does not tell them apart.
      await hash.make(input.password)
      await this.auditLog.record({ action: 'citizen.register_existing', subject: existing })
      await this.mailer.sendLater(
        new CitizenAlreadyRegisteredMail(existing.email, `${appUrl()}/citizen/login`)
      )
      return { outcome: 'already_verified', citizen: existing }
    }

    if (existing) {
      // Only the mailbox owner can complete it, and only with the newest link,
      // so whoever squatted the address before cannot keep their password.
      existing.merge({
        fullName: input.fullName,
        phone: input.phone ?? null,
        password: input.password,
      })
      const changedFields = AuditLogger.changedFieldsOf(existing)
      await existing.save()
      await this.auditLog.record({
        action: 'citizen.register_repeated',
        subject: existing,
        changedFields,
      })
      await this.verification.handle(existing)
      return { outcome: 'replaced_pending', citizen: existing }
    }

    const citizen = await Citizen.create({
      fullName: input.fullName,
      email: input.email.trim(),
      phone: input.phone ?? null,
      password: input.password,
      emailVerifiedAt: null,
    })
    await this.auditLog.record({
      action: 'citizen.register',
      subject: citizen,
      changedFields: ['email', 'fullName', 'password', ...(input.phone ? ['phone'] : [])],
      actor: { type: 'citizen', id: citizen.id, label: `citizen#${citizen.id}` },
    })
    await this.verification.handle(citizen)
    return { outcome: 'created', citizen }
  }
}
