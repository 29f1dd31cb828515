import Citizen from '#models/citizen'
import AuditLogger from '#services/audit_logger'

export interface CitizenRegistration {
  fullName: string
  email: string
  phone?: string
  password: string
}

/**
 * Registers a citizen account. The email is unique through its blind index.
 */
export default class RegisterCitizen {
  async handle(input: CitizenRegistration): Promise<{ ok: true; citizen: Citizen } | { ok: false }> {
    if (await Citizen.findByEmail(input.email)) return { ok: false }
    const citizen = await Citizen.create({
      fullName: input.fullName,
      email: input.email.trim(),
      phone: input.phone ?? null,
      password: input.password,
    })
    await AuditLogger.record({
      action: 'citizen.register',
      subject: citizen,
      changedFields: ['email', 'fullName', 'password', ...(input.phone ? ['phone'] : [])],
      actor: { type: 'citizen', id: citizen.id, label: `citizen#${citizen.id}` },
    })
    return { ok: true, citizen }
  }
}
