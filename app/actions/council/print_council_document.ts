import type CouncilItem from '#models/council_item'
import AuditLogger from '#services/audit_logger'
import PdfRenderer from '#services/pdf_renderer'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'

/** The item's document as an A4 PDF: as decided once decided, else from the live register; the print is logged. */
export default class PrintCouncilDocument {
  async handle(item: CouncilItem): Promise<Buffer> {
    const data = item.frozenDocument ?? (await CouncilDocumentBuilder.build(item.id))
    const pdf = await PdfRenderer.render(CouncilDocument.definition(data))
    await AuditLogger.record({ action: 'council_item.document', subject: item })
    return pdf
  }
}
