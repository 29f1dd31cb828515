import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import AuditLogger from '#services/audit_logger'
import StoredFiles from '#services/oversight/stored_files'
import type OversightAuditAttachment from '#models/oversight_audit_attachment'
import type OversightAudit from '#models/oversight_audit'

/** Removes an attachment of an audit: the row first, then the stored file. */
@inject()
export default class RemoveAuditAttachment {
  constructor(
    private auditLog: AuditLogger,
    private files: StoredFiles
  ) {}

  async handle(audit: OversightAudit, attachment: OversightAuditAttachment): Promise<void> {
    await db.transaction(async (trx) => {
      attachment.useTransaction(trx)
      await attachment.delete()
      await this.auditLog.record(
        {
          action: 'oversight_audit.detach',
          subject: audit,
          changedFields: ['attachments'],
          details: { attachmentId: attachment.id },
        },
        trx
      )
    })
    await this.files.delete(attachment.storageKey)
  }
}
