import User from '#models/user'
import AuditLogger from '#services/audit_logger'
import { revokeSessions } from '#services/auth/session_lifetime'
import type { Role } from '#enums/role'

export interface UserInput {
  email: string
  fullName: string
  role: Role
  departmentId?: number
  contractorId?: number
  locale: 'ja' | 'en'
  isActive?: boolean
  password?: string
}

export type SaveResult = { ok: true; user: User } | { ok: false; field: string; message: string }

/**
 * Creates or updates a staff/contractor account. A contractor user must
 * belong to a contractor; every ward role except administrator to a
 * department.
 */
export default class SaveUser {
  async handle(user: User, input: UserInput): Promise<SaveResult> {
    if (input.role === 'contractor' && !input.contractorId) {
      return { ok: false, field: 'contractorId', message: 'messages.admin.contractor_required' }
    }
    if (!['contractor', 'admin', 'privacy_officer'].includes(input.role) && !input.departmentId) {
      return { ok: false, field: 'departmentId', message: 'messages.admin.department_required' }
    }
    const isNew = !user.$isPersisted
    user.merge({
      email: input.email.toLowerCase(),
      fullName: input.fullName,
      role: input.role,
      departmentId: input.role === 'contractor' ? null : (input.departmentId ?? null),
      contractorId: input.role === 'contractor' ? input.contractorId! : null,
      locale: input.locale,
      isActive: input.isActive ?? true,
    })
    if (input.password) user.password = input.password
    const changedFields = Object.keys(user.$dirty)
    await user.save()
    // A new password or a disabled account ends every session opened before (ASVS 3.3).
    if (!isNew && (changedFields.includes('password') || !user.isActive)) {
      await revokeSessions('web', user.id)
    }
    await AuditLogger.record({ action: isNew ? 'user.create' : 'user.update', subject: user, changedFields })
    return { ok: true, user }
  }
}
