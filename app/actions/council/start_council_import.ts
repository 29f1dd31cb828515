import type { MultipartFile } from '@adonisjs/core/bodyparser'
import CouncilImport from '#models/council_import'
import type User from '#models/user'
import DomainError from '#exceptions/domain_error'
import CouncilDocumentReader from '#services/council/import/draft_builder'
import SourceTextReader from '#services/council/import/source_text'

/**
 * Reads a pasted text or an uploaded file into an import draft (nothing of the register is
 * saved): the source as read and the draft made of it, for the review.
 */
export default class StartCouncilImport {
  async handle(source: { text: unknown; file: MultipartFile | null }, user: User) {
    const read = source.file
      ? await SourceTextReader.fromUpload(source.file)
      : SourceTextReader.fromPaste(typeof source.text === 'string' ? source.text : null)
    let draft
    try {
      draft = await CouncilDocumentReader.read(read.text, read.kind)
    } catch (error) {
      // Not a council document: said under the file input when the text came from a file.
      if (error instanceof DomainError && source.file && error.field === 'text') {
        throw new DomainError(error.messageKey, { ...error.options, field: 'file' })
      }
      throw error
    }
    return CouncilImport.create({
      createdByUserId: user.id,
      sourceKind: read.kind,
      sourceName: read.name,
      sourceText: read.text,
      draft,
      status: 'draft',
      councilItemId: null,
      roundTrip: null,
      confirmedAt: null,
    })
  }
}
