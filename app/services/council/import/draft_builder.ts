import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import DomainError from '#exceptions/domain_error'
import DocumentTemplate from '#models/document_template'
import RegisterMatches from '#services/register/register_matches'
import { isMarkdownForm, parseReference } from '#services/council/compare/reference_parser'
import { parsePdfText } from '#services/council/compare/pdf_parser'
import type { SourceKind } from '#services/council/import/source_text'
import type { DocumentRow } from '#services/council/compare/rows'
import { alignRows } from '#services/council/compare/align'
import {
  compareCouncilDocument,
  compareRows,
  type Comparison,
} from '#services/council/compare/compare'
import { documentRows } from '#services/council/compare/document_rows'
import { draftDocument } from '#services/council/import/draft_document'
import type { DocumentDepartmentView } from '#services/council/council_document_builder'
import type { ExtraRow } from '#services/council/template_rows'
import type { TemplateKind, TemplateRow } from '#enums/document_template'
import type {
  DraftClause,
  DraftDataItem,
  DraftTermSet,
  ImportDraft,
} from '#services/council/import/import_draft'
import { AsWritten } from '#services/council/import/written_text'
import DraftReading from '#services/council/import/document_reading'

/** What the reader needs to know of the register: matches for names and clause sets. */
export interface ReaderMatches {
  department(name: string): { id: number; name: string; parentName?: string | null } | null
  contractor(name: string, corporateNumber?: string | null): { id: number; name: string } | null
  termSet(clauses: DraftClause[]): DraftTermSet['match']
}

/** The parts of a document template the reader uses. */
export type ReaderTemplates = Record<
  TemplateKind,
  Pick<DocumentTemplate, 'rows' | 'numbering' | 'parts'>
>

/** Where a row of the source went in the draft: an annex row by its template key (for reconciling). */
export interface RowPlacement {
  /** -1 = 事業の概要 */
  annex: number
  key: string
}

export interface Reading {
  draft: ImportDraft
  /** The matched department's parent (printed before its name in 担当課). */
  departmentParent: string | null
  /** A table row's value as the register keeps it (paragraphs, tags removed). */
  texts: Map<DocumentRow, string>
  /** The source's rows (parseReference) and where each table row went. */
  rows: DocumentRow[]
  placements: Map<DocumentRow, RowPlacement>
}

/**
 * Reads a council document (諮問・報告事項) into an ImportDraft: the cover (件名, 条例の根拠,
 * 担当), 事業の概要, every 別紙 (the system, contracts, subcontracts) and every 特記事項 set.
 * Rows are found with the comparison's reference parser, so the reader and `council:compare`
 * see the same rows; each row's value is then read into the register's fields. What cannot
 * be read into fields is kept as written (an extra row, a lead text) and listed in `remarks`.
 */
export default class CouncilDocumentReader {
  static async read(
    text: string,
    kind: SourceKind = 'text',
    client?: QueryClientContract
  ): Promise<ImportDraft> {
    const [matches, templates] = await Promise.all([
      RegisterMatches.load(client),
      DocumentTemplate.allByKind(client),
    ])
    return CouncilDocumentReader.reading(text, matches, templates, kind).draft
  }

  /**
   * The rows of a document's text, as the reader, the review and the round trip see them: a
   * text as written (markdown-ish or a plain extraction) with the reference parser; the text of
   * a PDF with the PDF parser when it reads the layout at least as well (columns of a ward's
   * table), else as a plain extraction.
   */
  static sourceRows(
    text: string,
    kind: SourceKind = 'text',
    extraLabels: string[] = []
  ): DocumentRow[] {
    const reference = parseReference(text, extraLabels)
    if (kind !== 'pdf') return reference
    const layout = parsePdfText(text)
    const weight = (rows: DocumentRow[]) =>
      rows.filter((row) => row.kind !== 'cover' || row.label !== '').length +
      2 * rows.filter((row) => row.kind === 'subject').length
    return weight(layout) >= weight(reference) ? layout : reference
  }

  /**
   * The round trip: the text of the item's generated PDF against the document it was read from,
   * row by row (`node ace council:compare` for a text; both read by the PDF parser for a PDF).
   */
  static roundTrip(pdfText: string, sourceText: string, kind: SourceKind = 'text'): Comparison {
    if (kind !== 'pdf') return compareCouncilDocument(pdfText, sourceText)
    return compareRows(CouncilDocumentReader.sourceRows(sourceText, kind), parsePdfText(pdfText))
  }

  /** The draft with the rows it came from (pure: the register is given). */
  static reading(
    text: string,
    matches: ReaderMatches,
    templates: ReaderTemplates,
    kind: SourceKind = 'text'
  ): Reading {
    const rows = CouncilDocumentReader.sourceRows(text, kind)
    const recognised = rows.filter((row) => row.kind !== 'cover' || row.label !== '')
    const hasBody = rows.some((row) => row.kind === 'row' || row.kind === 'clause')
    if (!hasBody || recognised.length < 3) {
      throw new DomainError('council_imports.errors.not_a_council_document', { field: 'text' })
    }
    const wrapped = kind === 'pdf' || !isMarkdownForm(text)
    const reading = new DraftReading(rows, wrapped, matches, templates).read()
    CouncilDocumentReader.#reconcile(reading, templates)
    CouncilDocumentReader.#asWritten(reading.draft, new AsWritten(text))
    return reading
  }

  /** The parsers compare in NFKC; the register keeps the document's own characters. */
  static #asWritten(draft: ImportDraft, source: AsWritten) {
    const text = (value: string) => source.text(value)
    const optional = (value: string | null) => (value === null ? null : source.text(value))
    const rows = (list: ExtraRow[]) =>
      list.map((row) => ({ ...row, label: text(row.label), value: text(row.value) }))
    const item = draft.item
    item.documentNumber = optional(item.documentNumber)
    item.subject = text(item.subject)
    for (const basis of item.basis) basis.articles = basis.articles.map(text)
    item.departmentLabel = optional(item.departmentLabel)
    item.contactSection = optional(item.contactSection)
    item.contactPerson = optional(item.contactPerson)
    item.contactExtension = optional(item.contactExtension)
    item.extraRows = rows(item.extraRows)
    const system = draft.system
    for (const field of ['name', 'purpose'] as const) system[field] = text(system[field])
    for (const field of [
      'businessName',
      'subjectsSummary',
      'description',
      'recordingComputer',
      'changeReason',
      'changeContent',
      'developmentMeasures',
      'changeSchedule',
    ] as const)
      system[field] = optional(system[field])
    system.subjectGroups = system.subjectGroups.map(text)
    const dataItem = <T extends DraftDataItem>(entry: T): T => ({
      ...entry,
      name: text(entry.name),
      note: optional(entry.note),
      groupHeading: optional(entry.groupHeading),
    })
    system.dataItems = system.dataItems.map(dataItem)
    for (const annex of draft.annexes) {
      const wording = annex.wording
      wording.captions = wording.captions.map(text)
      wording.subject = optional(wording.subject)
      wording.holderLabel = optional(wording.holderLabel)
      for (const override of Object.values(wording.rowOverrides)) {
        if (override.label) override.label = text(override.label)
      }
      wording.extraRows = rows(wording.extraRows)
      if (annex.kind !== 'contract') continue
      const contract = annex.contract
      contract.title = text(contract.title)
      if (contract.contractor) contract.contractor.name = text(contract.contractor.name)
      for (const field of [
        'undecidedNote',
        'subjectsText',
        'itemsNote',
        'periodLead',
        'periodNote',
        'approvedBy',
      ] as const)
        contract[field] = optional(contract[field])
      contract.reason = text(contract.reason)
      contract.tasks = contract.tasks.map(text)
      contract.items = contract.items.map(dataItem)
      contract.wardMeasures = contract.wardMeasures.map(text)
      contract.contractorMeasures = contract.contractorMeasures.map(text)
    }
    for (const set of draft.termSets) {
      set.clauses = set.clauses.map((clause) => ({
        ...clause,
        numberLabel: optional(clause.numberLabel),
        heading: text(clause.heading),
        body: text(clause.body),
        items: clause.items.map(text),
      }))
    }
  }

  /**
   * Prints the draft as the register would and pairs its rows with the document's: an annex
   * row that does not come out as written (a value the reader split wrongly, a wording the
   * register cannot produce) is kept as written instead, as an extra row in its place, with a
   * remark, so that the officer starts from a draft that prints the document.
   */
  static #reconcile(reading: Reading, templates: ReaderTemplates) {
    const { draft } = reading
    for (let pass = 0; pass < 2; pass++) {
      const printed = documentRows(
        draftDocument(draft, templates as never, departmentView(reading))
      )
      let changed = false
      for (const pair of alignRows(reading.rows, printed)) {
        if (pair.identical || !pair.expected) continue
        const placement = reading.placements.get(pair.expected)
        if (!placement || placement.annex < 0 || placement.key.startsWith('extra:')) continue
        const annex = draft.annexes[placement.annex]
        const row = pair.expected
        annex.wording.rowOverrides[placement.key] = { hidden: true }
        annex.wording.extraRows.push({
          label: row.label,
          value: reading.texts.get(row) ?? row.value,
          after: placement.key,
        })
        reading.placements.set(row, {
          annex: placement.annex,
          key: `extra:${annex.wording.extraRows.length - 1}`,
        })
        draft.remarks.push({
          section: row.section,
          message: 'row_kept_as_written',
          data: { label: row.label },
        })
        changed = true
      }
      if (!changed) return
    }
  }
}

/** The department as the builder prints it (担当課 = parent + name). */
function departmentView(reading: Reading): DocumentDepartmentView {
  return {
    name: reading.draft.department.name,
    parent: reading.departmentParent ? { name: reading.departmentParent } : null,
  }
}

export type { TemplateRow }
