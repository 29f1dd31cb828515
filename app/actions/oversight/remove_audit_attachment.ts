import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import AuditLogger from '#services/audit_logger'
import { ATTACHMENT_DISK } from '#actions/oversight/attach_audit_file'
import type OversightAuditAttachment from '#models/oversight_audit_attachment'
import type OversightAudit from '#models/oversight_audit'

/** Removes an attachment of an audit: the row first, then the stored file. */
export default class RemoveAuditAttachment {
  async handle(audit: OversightAudit, attachment: OversightAuditAttachment): Promise<void> {
    await db.transaction(async (trx) => {
      attachment.useTransaction(trx)
      await attachment.delete()
      await AuditLogger.record(
        { action: 'oversight_audit.detach', subject: audit, changedFields: ['attachments'], details: { attachmentId: attachment.id } },
        trx
      )
    })
    await drive.use(ATTACHMENT_DISK).delete(attachment.storageKey)
  }
}
