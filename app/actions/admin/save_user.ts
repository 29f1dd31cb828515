import { inject } from '@adonisjs/core'
import User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import { revokeSessions } from '#services/auth/session_lifetime'
import type { Role } from '#enums/role'
import type { Session } from '@adonisjs/session'

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

/**
 * Creates or updates a staff/contractor account. A contractor user must
 * belong to a contractor; every ward role except administrator to a
 * department (a DomainError on the field otherwise).
 */
@inject()
export default class SaveUser {
  constructor(private auditLog: AuditLogger) {}

  /** `currentSession`: the request's, kept (under a new id) when someone saves their own account. */
  async handle(user: User, input: UserInput, currentSession: Session | null): Promise<User> {
    if (input.role === 'contractor' && !input.contractorId) {
      throw new DomainError('admin.errors.contractor_required', { field: 'contractorId' })
    }
    if (!['contractor', 'admin', 'privacy_officer'].includes(input.role) && !input.departmentId) {
      throw new DomainError('admin.errors.department_required', { field: 'departmentId' })
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
      await revokeSessions('web', user.id, currentSession)
    }
    await this.auditLog.record({
      action: isNew ? 'user.create' : 'user.update',
      subject: user,
      changedFields,
    })
    return user
  }
}
