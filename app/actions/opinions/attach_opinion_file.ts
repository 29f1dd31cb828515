import { randomUUID } from 'node:crypto'
import { extname } from 'node:path'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import OpinionAttachment from '#models/opinion_attachment'
import type Opinion from '#models/opinion'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import AuditLogger from '#services/audit_logger'
import EncryptedFiles from '#services/uploads/encrypted_files'
import OpinionHistory from '#services/opinions/opinion_history'
import UploadChecker, { MAX_UPLOAD_BYTES } from '#services/uploads/upload_checker'
import type { OpinionAttachmentKind } from '#enums/opinion'

type FileType = { contentType: string; signatures: number[][] }

const PDF: FileType = {
  contentType: 'application/pdf',
  signatures: [[0x25, 0x50, 0x44, 0x46, 0x2d]],
}
const JPEG: FileType = { contentType: 'image/jpeg', signatures: [[0xff, 0xd8, 0xff]] }
const PNG: FileType = {
  contentType: 'image/png',
  signatures: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
}
/** FAX images: TIFF, little-endian (`II*\0`) or big-endian (`MM\0*`). */
const TIFF: FileType = {
  contentType: 'image/tiff',
  signatures: [
    [0x49, 0x49, 0x2a, 0x00],
    [0x4d, 0x4d, 0x00, 0x2a],
  ],
}

/** Accepted extensions and the signatures the file's first bytes must carry. */
const FILE_TYPES: Record<string, FileType> = {
  pdf: PDF,
  jpg: JPEG,
  jpeg: JPEG,
  png: PNG,
  tif: TIFF,
  tiff: TIFF,
}

export interface AttachmentInput {
  kind: OpinionAttachmentKind
}

/**
 * Attaches a letter, FAX image or photo to an opinion: PDF, JPEG, PNG or TIFF, at most
 * 10 MB, the extension and the first bytes agreeing (a renamed executable or HTML page is
 * refused). The file is encrypted on the private disk under a random key; the history
 * records it, the audit log says what (never the name, which may hold personal data).
 * A refusal is a DomainError on `file`, the form's other input kept.
 */
@inject()
export default class AttachOpinionFile {
  constructor(
    private auditLog: AuditLogger,
    private files: EncryptedFiles
  ) {}

  async handle(
    opinion: Opinion,
    file: MultipartFile | null,
    input: AttachmentInput,
    user: User
  ): Promise<OpinionAttachment> {
    if (opinion.personalDataDeletedAt) {
      throw new DomainError('opinions.attachments.errors.personal_data_deleted', { field: 'file' })
    }
    // A file stopped at the size limit while streaming has an error and no temporary copy.
    if (file && (file.size > MAX_UPLOAD_BYTES || file.errors.some(({ type }) => type === 'size'))) {
      throw new DomainError('opinions.attachments.errors.too_large', { field: 'file' })
    }
    if (!file || !file.tmpPath) {
      throw new DomainError('opinions.attachments.errors.file_required', { field: 'file' })
    }
    // The name the user gave (bodyparser's own `extname` may come from the content instead).
    const extension = extname(file.clientName).slice(1).toLowerCase()
    const type = Object.hasOwn(FILE_TYPES, extension) ? FILE_TYPES[extension] : undefined
    if (!type || !(await this.#startsWithAny(file.tmpPath, type.signatures))) {
      throw new DomainError('opinions.attachments.errors.file_type', { field: 'file' })
    }

    const storageKey = `opinion-attachments/${randomUUID()}.bin`
    const size = file.size
    const fileKey = await this.files.putFromFs(file.tmpPath, storageKey)
    file.markAsMoved(storageKey, storageKey)
    try {
      return await db.transaction(async (trx) => {
        const attachment = await OpinionAttachment.create(
          {
            opinionId: opinion.id,
            kind: input.kind,
            storageKey,
            originalName: UploadChecker.safeName(file.clientName, `attachment.${extension}`),
            fileKey,
            contentType: type.contentType,
            size,
            uploadedByUserId: user.id,
            retentionMonth: opinion.retentionMonth,
          },
          { client: trx }
        )
        await OpinionHistory.record(trx, opinion, { kind: 'attachment_added', userId: user.id })
        await this.auditLog.record(
          {
            action: 'opinion.attach',
            subject: opinion,
            changedFields: ['attachments'],
            details: {
              attachmentId: attachment.id,
              kind: input.kind,
              contentType: type.contentType,
              size,
            },
          },
          trx
        )
        return attachment
      })
    } catch (error) {
      await this.files.delete(storageKey)
      throw error
    }
  }

  async #startsWithAny(path: string, signatures: number[][]): Promise<boolean> {
    for (const signature of signatures) {
      if (await UploadChecker.startsWith(path, signature)) return true
    }
    return false
  }
}
