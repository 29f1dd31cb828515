import { randomUUID } from 'node:crypto'
import { extname } from 'node:path'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import OversightAuditAttachment from '#models/oversight_audit_attachment'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import UploadChecker from '#services/uploads/upload_checker'
import StoredFiles from '#services/oversight/stored_files'
import type OversightAudit from '#models/oversight_audit'
import type User from '#models/user'

/** 10 MB */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

type Kind = { contentType: string; extension: string; magic: number[] }

const PDF: Kind = {
  contentType: 'application/pdf',
  extension: 'pdf',
  magic: [0x25, 0x50, 0x44, 0x46, 0x2d],
}
const PNG: Kind = {
  contentType: 'image/png',
  extension: 'png',
  magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
}
const JPEG: Kind = { contentType: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] }

/** Accepted extensions and the file signature each must carry. */
const KINDS: Record<string, Kind> = { pdf: PDF, png: PNG, jpg: JPEG, jpeg: JPEG }

/** A refusal of the file, shown on the audit's page (the form there has no other input to keep). */
const refused = (audit: OversightAudit, message: string) =>
  new DomainError(message, {
    field: 'file',
    keepInput: false,
    redirectTo: { route: 'oversight_audits.show', params: { id: audit.id } },
  })

/**
 * Stores a file of an audit (PDF, JPEG or PNG, at most 10 MB) on the private
 * disk under a random key. The extension and the file's first bytes must
 * agree, so a renamed executable or HTML page is refused (a DomainError on
 * `file`, shown on the audit's page).
 */
@inject()
export default class AttachAuditFile {
  constructor(
    private auditLog: AuditLogger,
    private files: StoredFiles
  ) {}

  async handle(
    audit: OversightAudit,
    file: MultipartFile | null | undefined,
    caption: string | null,
    user: User
  ): Promise<OversightAuditAttachment> {
    if (!file || !file.tmpPath) {
      throw refused(audit, 'oversight_audits.errors.file_required')
    }
    if (file.size > MAX_ATTACHMENT_BYTES || file.errors.some((error) => error.type === 'size')) {
      throw refused(audit, 'oversight_audits.errors.file_too_large')
    }
    // The name the user gave (bodyparser's own `extname` may come from the content instead).
    const extension = extname(file.clientName).slice(1).toLowerCase()
    const kind = Object.hasOwn(KINDS, extension) ? KINDS[extension] : undefined
    if (!kind || !(await UploadChecker.startsWith(file.tmpPath, kind.magic))) {
      throw refused(audit, 'oversight_audits.errors.file_type')
    }

    const key = `oversight-audits/${randomUUID()}.${kind.extension}`
    const size = file.size
    return this.files.store(file, key, () =>
      db.transaction(async (trx) => {
        const attachment = await OversightAuditAttachment.create(
          {
            auditId: audit.id,
            storageKey: key,
            originalName: UploadChecker.safeName(file.clientName, `attachment.${kind.extension}`),
            contentType: kind.contentType,
            size,
            caption,
            uploadedByUserId: user.id,
          },
          { client: trx }
        )
        await this.auditLog.record(
          {
            action: 'oversight_audit.attach',
            subject: audit,
            changedFields: ['attachments'],
            details: { attachmentId: attachment.id, contentType: kind.contentType, size },
          },
          trx
        )
        return attachment
      })
    )
  }
}
