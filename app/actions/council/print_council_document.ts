import { inject } from '@adonisjs/core'
import env from '#start/env'
import type CouncilItem from '#models/council_item'
import AuditLogger from '#services/audit_logger'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocumentFile from '#services/council/council_document_file'

/**
 * The item's document as an A4 PDF: as decided once decided, else from the live register; the
 * print is logged. Null while it is still being made after `waitMs` (the page then says so).
 */
@inject()
export default class PrintCouncilDocument {
  constructor(private auditLog: AuditLogger) {}

  /** How long a page request waits for the document before saying it is being made. */
  static waitMs = env.get('COUNCIL_DOCUMENT_WAIT_MS', 1000)

  async handle(item: CouncilItem, waitMs = Infinity): Promise<Buffer | null> {
    const data = item.frozenDocument ?? (await CouncilDocumentBuilder.build(item.id))
    const pdf = await CouncilDocumentFile.pdf(data, waitMs)
    if (pdf) await this.auditLog.record({ action: 'council_item.document', subject: item })
    return pdf
  }
}
