import { inject } from '@adonisjs/core'
import type { DateTime } from 'luxon'
import Contractor from '#models/contractor'
import AuditLogger from '#services/audit_logger'
import DomainError from '#exceptions/domain_error'

export interface ContractorInput {
  name: string
  nameKana?: string
  corporateNumber?: string
  address?: string
  representative?: string
  privacyMarkNumber?: string
  privacyMarkExpiresOn?: DateTime
  contactDepartment?: string
  contactName?: string
  contactPhone?: string
  contactEmail?: string
  notes?: string
}

/**
 * Registers or updates a contractor. A Privacy Mark is recorded with both
 * its number and its expiry, or not at all (refused with a DomainError on the missing field). The audit log gets the names of
 * the changed fields, never their values.
 */
@inject()
export default class SaveContractor {
  constructor(private auditLog: AuditLogger) {}

  async handle(contractor: Contractor, input: ContractorInput): Promise<Contractor> {
    if (input.privacyMarkNumber && !input.privacyMarkExpiresOn) {
      throw new DomainError('contractors.errors.privacy_mark_expiry_required', {
        field: 'privacyMarkExpiresOn',
      })
    }
    if (input.privacyMarkExpiresOn && !input.privacyMarkNumber) {
      throw new DomainError('contractors.errors.privacy_mark_number_required', {
        field: 'privacyMarkNumber',
      })
    }
    const isNew = !contractor.$isPersisted
    contractor.merge({
      name: input.name,
      nameKana: input.nameKana ?? null,
      corporateNumber: input.corporateNumber ?? null,
      address: input.address ?? null,
      representative: input.representative ?? null,
      privacyMarkNumber: input.privacyMarkNumber ?? null,
      privacyMarkExpiresOn: input.privacyMarkExpiresOn ?? null,
      contactDepartment: input.contactDepartment ?? null,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      contactEmail: input.contactEmail ?? null,
      notes: input.notes ?? null,
    })
    const changedFields = Object.keys(contractor.$dirty)
    await contractor.save()
    await this.auditLog.record({
      action: isNew ? 'contractor.create' : 'contractor.update',
      subject: contractor,
      changedFields,
    })
    return contractor
  }
}
