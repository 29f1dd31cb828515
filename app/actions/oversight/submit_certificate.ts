import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { inject } from '@adonisjs/core'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DeletionCertificate, { type ErasureMethod } from '#models/deletion_certificate'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import Clock from '#services/clock'
import DutyLedger from '#services/oversight/duty_ledger'
import UploadChecker from '#services/uploads/upload_checker'
import StoredFiles from '#services/oversight/stored_files'
import OversightNotices from '#services/oversight/oversight_notices'
import { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'

export interface CertificateInput {
  method: ErasureMethod
  media: string[]
  erasedOn: Date
  notes?: string
}

/** A refusal shown on a field of the certificate form, which comes back with what was typed. */
const refused = (contract: Contract, field: string, message: string) =>
  new DomainError(message, {
    field,
    redirectTo: { route: 'certificates.create', params: { contractId: contract.id } },
  })

/**
 * Files a deletion certificate (消去証明書) with its signed PDF. The file
 * is checked (PDF by name and content, at most 10 MB) before anything is
 * saved, then stored on the private disk under a random key. The contract's
 * return-and-erasure duty then waits for the ward's check (確認待ち). While a
 * certificate awaits that check no other one is taken. Refusals are
 * DomainErrors on the field.
 */
@inject()
export default class SubmitCertificate {
  constructor(
    private auditLog: AuditLogger,
    private files: StoredFiles,
    private clock: Clock,
    private notices: OversightNotices
  ) {}

  async handle(
    contract: Contract,
    input: CertificateInput,
    file: MultipartFile | null,
    user: User
  ): Promise<DeletionCertificate> {
    const check = await UploadChecker.checkPdf(file)
    if (!check?.ok)
      throw refused(contract, 'certificate', check?.message ?? 'portal.errors.file_required')
    const erasedOn = DateTime.fromJSDate(input.erasedOn).setZone(WARD_ZONE).startOf('day')
    if (erasedOn > this.clock.now().setZone(WARD_ZONE).startOf('day')) {
      throw refused(contract, 'erasedOn', 'portal.errors.erased_in_future')
    }
    if (input.media.length === 0) throw refused(contract, 'media', 'portal.errors.media_required')
    const pending = await DeletionCertificate.query()
      .where('contractId', contract.id)
      .where('status', 'submitted')
      .first()
    if (pending) throw refused(contract, 'certificate', 'portal.errors.certificate_pending')

    const key = UploadChecker.randomKey('deletion-certificates')
    const size = file!.size
    const certificate = await this.files.store(file!, key, () =>
      db.transaction(async (trx) => {
        const created = await DeletionCertificate.create(
          {
            contractId: contract.id,
            method: input.method,
            media: input.media,
            erasedOn,
            notes: input.notes ?? null,
            storageKey: key,
            originalName: check.originalName,
            size,
            status: 'submitted',
            submittedByUserId: user.id,
          },
          { client: trx }
        )
        await this.auditLog.record(
          {
            action: 'deletion_certificate.submit',
            subject: created,
            changedFields: ['method', 'media', 'erasedOn', 'notes', 'file'],
            details: { contractId: contract.id, size },
          },
          trx
        )
        await DutyLedger.submit(
          contract.id,
          'return_erasure',
          'end',
          {
            type: 'deletion_certificate',
            id: created.id,
            on: this.clock.now().setZone(WARD_ZONE).startOf('day'),
          },
          this.auditLog,
          trx
        )
        return created
      })
    )
    // The department and the privacy office are mailed (queued).
    await this.notices.certificate(certificate, user)
    return certificate
  }
}
