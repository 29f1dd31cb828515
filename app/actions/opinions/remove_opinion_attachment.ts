import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type Opinion from '#models/opinion'
import type OpinionAttachment from '#models/opinion_attachment'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import EncryptedFiles from '#services/uploads/encrypted_files'
import OpinionHistory from '#services/opinions/opinion_history'

/** Removes a wrongly attached file of an opinion: the row (with a history entry) first, then the stored file. */
@inject()
export default class RemoveOpinionAttachment {
  constructor(
    private auditLog: AuditLogger,
    private files: EncryptedFiles
  ) {}

  async handle(opinion: Opinion, attachment: OpinionAttachment, user: User): Promise<void> {
    await db.transaction(async (trx) => {
      attachment.useTransaction(trx)
      await attachment.delete()
      await OpinionHistory.record(trx, opinion, { kind: 'attachment_removed', userId: user.id })
      await this.auditLog.record(
        {
          action: 'opinion.detach',
          subject: opinion,
          changedFields: ['attachments'],
          details: { attachmentId: attachment.id },
        },
        trx
      )
    })
    await this.files.delete(attachment.storageKey)
  }
}
