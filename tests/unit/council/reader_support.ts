import CouncilDocumentReader, {
  type ReaderMatches,
  type ReaderTemplates,
} from '#services/council/import/draft_builder'
import { draftDocument } from '#services/council/import/draft_document'
import { documentRows } from '#services/council/compare/document_rows'
import { compareRows } from '#services/council/compare/compare'
import type { SourceKind } from '#services/council/import/source_text'
import { DEFAULT_RECORDED_ITEMS_PARTS, DEFAULT_TEMPLATE_ROWS } from '#enums/document_template'

/** The ward's default templates, without the database. */
export const templates = Object.fromEntries(
  Object.entries(DEFAULT_TEMPLATE_ROWS).map(([kind, rows]) => [
    kind,
    { rows, numbering: 'halfwidth', parts: DEFAULT_RECORDED_ITEMS_PARTS },
  ])
) as unknown as ReaderTemplates

/** An empty register: every department, contractor and set is new. */
export const noMatches: ReaderMatches = {
  department: () => null,
  contractor: () => null,
  termSet: () => null,
}

/** A document read into a draft, printed as the register would, compared with its own rows. */
export function roundTrip(text: string, matches = noMatches, kind: SourceKind = 'text') {
  const reading = CouncilDocumentReader.reading(text, matches, templates, kind)
  const department = {
    name: reading.draft.department.name,
    parent: reading.departmentParent ? { name: reading.departmentParent } : null,
  }
  const data = draftDocument(reading.draft, templates as never, department)
  const printed = documentRows(data)
  const comparison = compareRows(CouncilDocumentReader.sourceRows(text, kind), printed)
  return { reading, data, printed, comparison }
}
