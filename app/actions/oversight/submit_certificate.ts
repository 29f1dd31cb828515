import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DeletionCertificate, { type ErasureMethod } from '#models/deletion_certificate'
import AuditLogger from '#services/audit_logger'
import UploadChecker, { UPLOAD_DISK } from '#services/uploads/upload_checker'
import { WARD_ZONE } from '#services/ward_calendar'
import type Contract from '#models/contract'
import type User from '#models/user'

export interface CertificateInput {
  method: ErasureMethod
  media: string[]
  erasedOn: Date
  notes?: string
}

export type SubmitCertificateResult = { ok: true; certificate: DeletionCertificate } | { ok: false; field: string; message: string }

/**
 * Files a deletion certificate (消去証明書) with its signed PDF. The file
 * is checked (PDF by name and content, at most 10 MB) before anything is
 * saved, then stored on the private disk under a random key.
 */
export default class SubmitCertificate {
  async handle(contract: Contract, input: CertificateInput, file: MultipartFile | null, user: User): Promise<SubmitCertificateResult> {
    const check = await UploadChecker.checkPdf(file)
    if (!check?.ok) return { ok: false, field: 'certificate', message: check?.message ?? 'portal.errors.file_required' }
    const erasedOn = DateTime.fromJSDate(input.erasedOn).setZone(WARD_ZONE).startOf('day')
    if (erasedOn > DateTime.now().setZone(WARD_ZONE).startOf('day')) {
      return { ok: false, field: 'erasedOn', message: 'portal.errors.erased_in_future' }
    }
    if (input.media.length === 0) return { ok: false, field: 'media', message: 'portal.errors.media_required' }

    const key = UploadChecker.randomKey('deletion-certificates')
    const size = file!.size
    await file!.moveToDisk(key, UPLOAD_DISK)
    try {
      const certificate = await db.transaction(async (trx) => {
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
        await AuditLogger.record(
          {
            action: 'deletion_certificate.submit',
            subject: created,
            changedFields: ['method', 'media', 'erasedOn', 'notes', 'file'],
            details: { contractId: contract.id, size },
          },
          trx
        )
        return created
      })
      return { ok: true, certificate }
    } catch (error) {
      await drive.use(UPLOAD_DISK).delete(key)
      throw error
    }
  }
}
