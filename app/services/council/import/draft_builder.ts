import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import DomainError from '#exceptions/domain_error'
import DocumentTemplate from '#models/document_template'
import RegisterMatches from '#services/register/register_matches'
import { isMarkdownForm, parseReference } from '#services/council/compare/reference_parser'
import { parsePdfText } from '#services/council/compare/pdf_parser'
import type { SourceKind } from '#services/council/import/source_text'
import { normalise } from '#services/council/compare/normalize'
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
import { parse as parseClauses } from '#services/register/special_terms_text'
import CorporateNumber from '#services/register/corporate_number'
import TemplateRows, { EXTRA_ROW_FIRST, type ExtraRow } from '#services/council/template_rows'
import type { TemplateKind, NumberingStyle, TemplateRow } from '#enums/document_template'
import type { CouncilKind } from '#enums/council'
import type { RecordMedium, SelectionMethod } from '#enums/register'
import type {
  DraftAnnex,
  DraftAnnexWording,
  DraftClause,
  DraftContract,
  DraftContractItem,
  DraftDataItem,
  DraftParty,
  DraftRemark,
  DraftTermSet,
  ImportDraft,
} from '#services/council/import/import_draft'
import {
  AsWritten,
  entries,
  itemWithNote,
  leadingNumber,
  paragraphs,
  splitOutsideBrackets,
  withoutNumbers,
  writtenDates,
} from '#services/council/import/written_text'

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

const BASIS_KINDS: Record<string, CouncilKind> = {
  諮問: 'consultation',
  報告: 'report',
  事前報告: 'prior_report',
}

/** A row label → its template key, by what the label says (any wording of the ward's documents). */
const KEY_PATTERNS: Array<[RegExp, string]> = [
  [/^保有課|^保有部課|^担当課/u, 'holder_department'],
  [/^登録業務の名称|^業務の名称/u, 'system_name'],
  [/^記録される情報項目|^記録する情報項目/u, 'recorded_items'],
  [/開発等を委託/u, 'development_measures'],
  [/^新規開発.*理由|^変更の理由|^追加.*理由/u, 'change_reason'],
  [/^新規開発.*内容|^変更の内容|^追加.*内容/u, 'change_content'],
  [/^新規開発.*時期|^変更の時期|^追加.*時期/u, 'change_schedule'],
  [/^再委託先$|^再受託者$/u, 'subcontractor'],
  [/^再委託の承認/u, 'subcontract_approval'],
  [/^委託先$|^受託者$|^受託事業者$|^委託事業者$/u, 'contractor'],
  [/記録媒体/u, 'media'],
  [/情報項目|処理させる項目|提供する項目|収集する項目/u, 'data_items'],
  [/^(?:再)?委託(?:の|する)?理由/u, 'reason'],
  [/^(?:再)?委託(?:の|する)?内容|^(?:再)?委託業務の内容/u, 'content'],
  [/開始時期|委託期間|期限/u, 'period'],
  [/区が(?:行う|講ずる)/u, 'ward_measures'],
  [/(?:受託事業者|受託者|再委託先|委託先)に(?:行わせる|講じさせる)/u, 'contractor_measures'],
]

const OVERVIEW_PATTERNS: Array<[RegExp, string]> = [
  [/^事業名|^業務名/u, 'business_name'],
  [/^担当課|^担当部課|^所管課/u, 'department'],
  [/^目的/u, 'purpose'],
  [/^対象者|^対象/u, 'subjects'],
  [/^事業内容|^事業の内容|^概要/u, 'description'],
]

function keyOf(label: string, patterns: Array<[RegExp, string]>, allowed: string[]): string | null {
  const text = normalise(label).replace(/[（(][^）)]*[)）]$/u, '')
  for (const [pattern, key] of patterns) {
    if (allowed.includes(key) && pattern.test(text)) return key
  }
  return null
}

const UNDECIDED =
  /未定|予定|により決定|により選定|決定した|選定した|入札|プロポーザル|随意契約|随契|公募/u

function selectionMethodOf(text: string): SelectionMethod {
  if (/特命|随意契約|随契/u.test(text)) return 'tokumei'
  if (/入札/u.test(text)) return 'nyusatsu'
  if (/プロポーザル|企画提案|企画競争/u.test(text)) return 'proposal'
  return 'other'
}

const MEDIA_WORDS: Array<[RegExp, RecordMedium]> = [
  [/^紙/u, 'paper'],
  [/^(?:電磁的|電子|磁気)/u, 'electronic'],
  [/^USB|^ＵＳＢ/u, 'usb'],
  [/^クラウド/u, 'cloud'],
]

/**
 * Whether a list entry's number is written as the template numbers (then the register keeps the
 * entry without it and the template prints it again): '1 ' for halfwidth, not '1.' or '１．'.
 */
function isTemplateMarker(marker: string, number: number, numbering: NumberingStyle): boolean {
  const written = marker.replace(/[\s\u3000]+$/u, '')
  const printed = TemplateRows.marker(number, numbering).replace(/[\s\u3000]+$/u, '')
  return written !== '' && written === printed
}

/** A group's heading alone on its line: 【申請者】. */
const GROUP_HEADING_LINE = /^[\s\u3000]*【[^】]*】[\s\u3000]*$/u

/**
 * A line listing items ('氏名、住所（必要な場合のみ）'), with the heading written in front of
 * it ('【申請者】氏名、…', or a table row's first cell: '所有者<TAB>氏名、…'); null for a
 * sentence or a line of one item.
 */
function listOf(line: string): { heading: string | null; items: string } | null {
  let heading: string | null = null
  let items = line.trim()
  const bracketed = items.match(/^(【[^】]*】)[\s\u3000]*(.+)$/u)
  const cells = items.split('\t')
  if (bracketed) {
    heading = bracketed[1]
    items = bracketed[2]
  } else if (cells.length === 2 && cells[0].trim() !== '' && !/[、。]/u.test(cells[0])) {
    heading = cells[0].trim()
    items = cells[1].trim()
  }
  const parts = splitOutsideBrackets(items)
  const isList =
    parts.length >= 2 && parts.every((part) => part.length <= 30 && !/[。\t]/u.test(part))
  return isList ? { heading, items } : null
}

const CORPORATE_NUMBER = /法人番号[：:\s\u3000]*([0-9０-９]{13})/u

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

class DraftReading {
  readonly #placements = new Map<DocumentRow, RowPlacement>()
  readonly #texts = new Map<DocumentRow, string>()
  #departmentParent: string | null = null
  readonly #remarks: DraftRemark[] = []
  readonly #draft: ImportDraft

  constructor(
    private rows: DocumentRow[],
    /** A PDF extraction: a cell's lines are wrapped, not paragraphs. */
    private wrapped: boolean,
    private matches: ReaderMatches,
    private templates: ReaderTemplates
  ) {
    this.#draft = {
      item: {
        subject: '',
        documentNumber: null,
        basis: [],
        departmentLabel: null,
        contactSection: null,
        contactPerson: null,
        contactExtension: null,
        extraRows: [],
      },
      department: { name: '', id: null },
      system: {
        name: '',
        businessName: null,
        purpose: '',
        subjectsSummary: null,
        subjectGroups: [],
        dataItems: [],
        recordingComputer: null,
        media: ['electronic'],
        description: null,
        changeReason: null,
        changeContent: null,
        developmentMeasures: null,
        changeSchedule: null,
      },
      annexes: [],
      termSets: [],
      remarks: this.#remarks,
    }
  }

  read(): Reading {
    const sections = new Map<string, DocumentRow[]>()
    for (const row of this.rows) {
      const list = sections.get(row.section) ?? []
      list.push(row)
      sections.set(row.section, list)
    }
    /** Department names as written: 担当課 of the overview, 担当部課 of the contact, 保有課 of the annexes. */
    const departmentNames: string[] = []
    let contactDepartment: string | null = null
    let overviewDepartment: string | null = null

    for (const [section, rows] of sections) {
      if (section === '表紙') contactDepartment = this.#cover(rows)
      else if (section === '事業の概要') overviewDepartment = this.#overview(rows)
      else if (section.startsWith('別紙')) this.#annex(section, rows)
      else if (section.startsWith('特記事項')) this.#terms(section, rows)
    }
    for (const annex of this.#draft.annexes) {
      const holder = this.#holderWritten.get(annex)
      if (holder) departmentNames.push(holder)
    }
    this.#department(overviewDepartment, contactDepartment, departmentNames)
    this.#systemItemsFromContracts()
    if (!this.#draft.system.name) {
      this.#draft.system.name = this.#draft.system.businessName ?? this.#draft.item.subject
      this.#draft.system.businessName = null
    }
    if (!this.#draft.system.purpose) {
      this.#draft.system.purpose = this.#draft.item.subject
      this.#remark('事業の概要', 'purpose_missing')
    }
    if (!this.#draft.item.subject) {
      this.#draft.item.subject = this.#draft.annexes[0]?.wording.subject ?? this.#draft.system.name
      this.#remark('表紙', 'subject_missing')
    }
    return {
      draft: this.#draft,
      departmentParent: this.#departmentParent,
      texts: this.#texts,
      rows: this.rows,
      placements: this.#placements,
    }
  }

  #remark(section: string, message: string, data?: Record<string, string | number>) {
    this.#remarks.push({ section, message, ...(data ? { data } : {}) })
  }

  /** Text of a cell as the register keeps it: paragraphs separated by \n. */
  #text(value: string): string {
    return paragraphs(value, this.wrapped).join('\n')
  }

  /** 表紙: 資料 line, 件名, 【区分】 with their articles, the contact. Returns 担当部課 as written. */
  #cover(rows: DocumentRow[]): string | null {
    const item = this.#draft.item
    let kind: CouncilKind | null = null
    let contactDepartment: string | null = null
    for (const row of rows) {
      const value = row.value.replace(/\n/g, ' ').trim()
      if (row.kind === 'subject') {
        if (!item.subject) item.subject = this.#text(row.value).replace(/\n/g, '')
        continue
      }
      switch (row.label) {
        case '資料':
          item.documentNumber = value
          break
        case '区分': {
          const written = value.replace(/^【|】$/gu, '').replace(/[\s\u3000]/gu, '')
          kind = BASIS_KINDS[written] ?? null
          if (!kind) this.#remark('表紙', 'basis_kind_unknown', { kind: value })
          break
        }
        case '条項': {
          if (!kind) {
            this.#remark('表紙', 'basis_without_kind', { article: value })
            kind = 'report'
          }
          const entry = item.basis.find((basis) => basis.kind === kind)
          const article = row.value.replace(/\n/g, '').trim()
          if (entry) entry.articles.push(article)
          else item.basis.push({ kind, articles: [article] })
          break
        }
        case '担当部課':
          contactDepartment = this.#contact(row.value)
          break
        case '表題':
        case '内容':
        case '条例の根拠':
          break
        default:
          this.#remark('表紙', 'cover_line_unused', { text: value.slice(0, 60) })
      }
    }
    return contactDepartment
  }

  /** （担当部課：…） 担当係 … 担当者 … 内線（…） */
  #contact(value: string): string | null {
    const text = value.replace(/\n/g, ' ')
    const department =
      text.match(/担当部課[：:][\s\u3000]*([^）)]*?)[\s\u3000]*[）)]/u)?.[1] ?? null
    const section = text.match(/担当係[\s\u3000]*(.*?)[\s\u3000]*(?=担当者|内線|$)/u)?.[1]
    const person = text.match(/担当者[\s\u3000]*(.*?)[\s\u3000]*(?=内線|$)/u)?.[1]
    const extension = text.match(/内線[\s\u3000]*[（(][\s\u3000]*(.*?)[\s\u3000]*[）)]/u)?.[1]
    const item = this.#draft.item
    item.contactSection = section?.trim() || null
    item.contactPerson = person?.trim() || null
    item.contactExtension = extension?.trim() || null
    if (!item.contactSection && !item.contactPerson && !item.contactExtension) {
      // The builder prints the contact only when one of them is given.
      this.#remark('表紙', 'contact_unread')
    }
    return department?.trim() || null
  }

  /** 事業の概要. Returns 担当課 as written. */
  #overview(rows: DocumentRow[]): string | null {
    const system = this.#draft.system
    const allowed = this.templates.overview.rows.map((row) => row.key)
    let department: string | null = null
    let previous = EXTRA_ROW_FIRST
    const seen = new Set<string>()
    for (const row of rows) {
      if (row.kind !== 'row') continue
      const key = keyOf(row.label, OVERVIEW_PATTERNS, allowed)
      if (!key || seen.has(key) || !this.#inOrder(allowed, seen, key)) {
        this.#draft.item.extraRows.push({
          label: row.label,
          value: this.#text(row.value),
          after: previous,
        })
        this.#placements.set(row, {
          annex: -1,
          key: `extra:${this.#draft.item.extraRows.length - 1}`,
        })
        continue
      }
      seen.add(key)
      previous = key
      this.#placements.set(row, { annex: -1, key })
      const text = this.#text(row.value)
      switch (key) {
        case 'business_name':
          system.businessName = text.replace(/\n/g, '')
          break
        case 'department':
          department = text.replace(/\n/g, '')
          break
        case 'purpose':
          system.purpose = text
          break
        case 'subjects':
          system.subjectsSummary = text
          break
        case 'description':
          system.description = text
          break
      }
    }
    return department
  }

  /** Whether `key` comes after every key already seen, in template order. */
  #inOrder(order: string[], seen: Set<string>, key: string): boolean {
    const at = order.indexOf(key)
    return [...seen].every((done) => order.indexOf(done) < at)
  }

  readonly #holderWritten = new Map<DraftAnnex, string>()

  /** One 別紙: captions, 件名, then the rows of a system, contract or subcontract table. */
  #annex(section: string, rows: DocumentRow[]) {
    const tableRows = rows.filter((row) => row.kind === 'row')
    const labels = tableRows.map((row) => normalise(row.label))
    const isSubcontract = labels.some((label) => /^再委託先$|^再受託者$/u.test(label))
    const isContract =
      isSubcontract ||
      labels.some((label) =>
        /^委託先$|^受託者$|^受託事業者$|^委託事業者$|^委託理由|^委託の内容/u.test(label)
      )
    const kind: TemplateKind = isSubcontract
      ? 'subcontract_annex'
      : isContract
        ? 'contract_annex'
        : 'system_annex'
    const wording: DraftAnnexWording = {
      captions: rows
        .filter((row) => row.kind === 'caption')
        .flatMap((row) => row.value.split('\n'))
        .map((line) => line.trim())
        .filter(Boolean),
      subject: null,
      holderLabel: null,
      rowOverrides: {},
      extraRows: [],
    }
    const subject = rows.find((row) => row.kind === 'subject')
    const subjectText = subject ? subject.value.replace(/\n/g, '').trim() : ''
    const index = this.#draft.annexes.length
    let annex: DraftAnnex
    if (kind === 'system_annex') {
      annex = { kind: 'system', wording }
      wording.subject = subjectText || null
    } else {
      const contract = this.#newContract(subjectText || this.#draft.item.subject)
      if (kind === 'subcontract_annex') {
        const parent = [...this.#draft.annexes.keys()]
          .reverse()
          .find(
            (at) =>
              this.#draft.annexes[at].kind === 'contract' &&
              (this.#draft.annexes[at] as { contract: DraftContract }).contract.parentAnnex === null
          )
        if (parent === undefined) this.#remark(section, 'subcontract_without_contract')
        contract.parentAnnex = parent ?? null
      }
      annex = { kind: 'contract', wording, contract }
    }
    this.#draft.annexes.push(annex)

    const template = this.templates[kind]
    const allowed = template.rows.map((row) => row.key)
    const seen = new Set<string>()
    let previous = EXTRA_ROW_FIRST
    for (const row of tableRows) {
      const key = keyOf(row.label, KEY_PATTERNS, allowed)
      if (!key || seen.has(key) || !this.#inOrder(allowed, seen, key)) {
        wording.extraRows.push({ label: row.label, value: this.#text(row.value), after: previous })
        this.#placements.set(row, { annex: index, key: `extra:${wording.extraRows.length - 1}` })
        if (key) this.#remark(section, 'row_kept_as_written', { label: row.label })
        continue
      }
      seen.add(key)
      previous = key
      this.#placements.set(row, { annex: index, key })
      this.#texts.set(row, this.#text(row.value))
      const templateRow = template.rows.find((candidate) => candidate.key === key)!
      if (normalise(templateRow.label) !== normalise(row.label)) {
        wording.rowOverrides[key] = { label: row.label.replace(/\n/g, '') }
      }
      const read =
        annex.kind === 'system'
          ? this.#systemRow(section, key, row, annex)
          : this.#contractRow(section, key, row, annex, template.numbering)
      if (!read) {
        // Kept as written: the template's row hidden, the cell printed as an extra row in its place.
        wording.rowOverrides[key] = { hidden: true }
        wording.extraRows.push({ label: row.label, value: this.#text(row.value), after: key })
        this.#placements.set(row, { annex: index, key: `extra:${wording.extraRows.length - 1}` })
      }
    }
    // Rows the template prints that this document does not have.
    for (const templateRow of template.rows) {
      if (seen.has(templateRow.key)) continue
      if (templateRow.always || ['media'].includes(templateRow.key)) {
        wording.rowOverrides[templateRow.key] = { hidden: true }
      }
    }
  }

  #newContract(title: string): DraftContract {
    return {
      title,
      parentAnnex: null,
      contractor: null,
      undecidedNote: null,
      selectionMethod: null,
      reason: '',
      tasks: [],
      subjectsText: null,
      items: [],
      itemsLayout: 'comma',
      itemsNote: null,
      periodType: 'fixed',
      periodLead: null,
      startsOn: null,
      startsOnPrecision: 'day',
      endsOn: null,
      periodNote: null,
      media: [],
      mediaDetails: {},
      wardMeasures: [],
      contractorMeasures: [],
      termSet: null,
      approvedOn: null,
      approvedBy: null,
    }
  }

  /** Reads one row of a system annex; false when it cannot be read into fields. */
  #systemRow(section: string, key: string, row: DocumentRow, annex: DraftAnnex): boolean {
    const system = this.#draft.system
    const text = this.#text(row.value)
    switch (key) {
      case 'holder_department':
        this.#holderWritten.set(annex, text.replace(/\n/g, ''))
        break
      case 'system_name':
        system.name = text.replace(/\n/g, '')
        break
      case 'recorded_items':
        return this.#recordedItems(section, row.value)
      case 'change_reason':
        system.changeReason = text
        break
      case 'change_content':
        system.changeContent = text
        break
      case 'development_measures':
        system.developmentMeasures = text
        break
      case 'change_schedule':
        system.changeSchedule = text
        break
    }
    return true
  }

  /**
   * 記録される情報項目: '1 個人の範囲' with ①② groups, '2 記録する個人情報の項目' with the
   * items, '3 記録するコンピュータ' with the computer.
   */
  #recordedItems(section: string, value: string): boolean {
    const system = this.#draft.system
    const template = this.templates.system_annex
    const heads = [template.parts.subjects, template.parts.items, template.parts.computer]
    const lines = entries(value, this.wrapped)
    /** Which part each line opens: 0, 1, 2 or -1 (continues). */
    const partOf = (line: string) => {
      const number = leadingNumber(line)
      if (!number) return -1
      const rest = normalise(number.rest)
      return heads.findIndex(
        (head, at) => number.number === at + 1 && rest.startsWith(normalise(head))
      )
    }
    const parts: string[][] = [[], [], []]
    let current = -1
    for (const line of lines) {
      const part = partOf(line)
      if (part >= 0) {
        current = part
        const number = leadingNumber(line)!
        const rest = number.rest.trim().slice(heads[part].length).trim()
        if (rest) parts[part].push(rest)
        continue
      }
      if (current < 0) break
      parts[current].push(line)
    }
    if (current < 0) {
      this.#remark(section, 'recorded_items_unread')
      return false
    }
    system.subjectGroups = parts[0].map((line) => {
      const number = leadingNumber(line)
      return number && /^[\u2460-\u2473]/u.test(line.trim()) ? number.rest.trim() : line
    })
    system.dataItems = this.#itemList(parts[1].join('、'))
    system.recordingComputer = parts[2].join('\n') || null
    return true
  }

  /** Items written '氏名、住所（必要な場合のみ）' with 【heading】 lines between groups. */
  #itemList(text: string): DraftDataItem[] {
    const items: DraftDataItem[] = []
    let heading: string | null = null
    for (const part of splitOutsideBrackets(text)) {
      const bracketed = part.match(/^(【[^】]*】)(.*)$/u)
      if (bracketed) {
        heading = bracketed[1]
        if (bracketed[2].trim())
          items.push({ ...itemWithNote(bracketed[2]), groupHeading: heading })
        continue
      }
      items.push({ ...itemWithNote(part), groupHeading: heading })
    }
    return items
  }

  #contractRow(
    section: string,
    key: string,
    row: DocumentRow,
    annex: Extract<DraftAnnex, { kind: 'contract' }>,
    numbering: NumberingStyle
  ): boolean {
    const contract = annex.contract
    const text = this.#text(row.value)
    const flat = text.replace(/\n/g, '')
    const isSubcontract = contract.parentAnnex !== null
    switch (key) {
      case 'holder_department':
        this.#holderWritten.set(annex, flat)
        break
      case 'system_name':
        if (!this.#draft.system.name) this.#draft.system.name = flat
        break
      case 'contractor':
        if (!isSubcontract) this.#party(contract, flat)
        break
      case 'subcontractor':
        this.#party(contract, flat)
        break
      case 'subcontract_approval': {
        const [date] = writtenDates(flat)
        const by = flat.match(/[（(]([^（）()]+)[)）]\s*$/u)?.[1] ?? null
        if (date && by) {
          contract.approvedOn = date.iso
          contract.approvedBy = by
        } else {
          this.#remark(section, 'approval_unread', { text: flat })
          return false
        }
        break
      }
      case 'data_items':
        this.#contractItems(contract, row)
        break
      case 'media':
        return this.#media(section, contract, flat)
      case 'reason':
        contract.reason = text
        break
      case 'content':
        contract.tasks = this.#blocks(row.value, numbering)
        break
      case 'period':
        this.#period(section, contract, flat)
        break
      case 'ward_measures':
        contract.wardMeasures = this.#measures(row.value, numbering)
        break
      case 'contractor_measures':
        contract.contractorMeasures = this.#measures(row.value, numbering)
        break
    }
    return true
  }

  /** 委託先: a contractor's name, or the text printed in its place while undecided. */
  #party(contract: DraftContract, written: string) {
    let corporateNumber = written.match(CORPORATE_NUMBER)?.[1]?.normalize('NFKC') ?? null
    if (corporateNumber !== null && !CorporateNumber.isValid(corporateNumber)) {
      // A mistyped 法人番号 would refuse the confirmation: the officer checks it instead.
      this.#remark(`別紙${this.#draft.annexes.length}`, 'corporate_number_invalid', {
        number: corporateNumber,
      })
      corporateNumber = null
    }
    const name = written
      .replace(CORPORATE_NUMBER, '')
      .replace(/[（(]\s*[)）]/gu, '')
      .trim()
    if (UNDECIDED.test(written) || name === '') {
      contract.undecidedNote = written
      contract.selectionMethod = selectionMethodOf(written)
      return
    }
    const match = this.matches.contractor(name, corporateNumber)
    const party: DraftParty = { name, id: match?.id ?? null, corporateNumber }
    if (match && corporateNumber === null) party.name = match.name
    contract.contractor = party
  }

  /**
   * The 情報項目 cell of a contract: whose data (lines before the items), the items (a line of
   * items separated by 、, a run of ・ lines, or a numbered heading whose rest lists them), then
   * the text after them.
   */
  #contractItems(contract: DraftContract, row: DocumentRow) {
    const lines = entries(row.value, false).flatMap((entry) => entry.split('\n'))
    const joinedLines = this.wrapped ? paragraphs(row.value, true) : lines
    const direction = /収集/u.test(normalise(row.label)) ? 'collected' : 'provided'
    contract.items = []
    const setItems = (items: DraftDataItem[]) => {
      contract.items = items.map((item): DraftContractItem => ({ ...item, direction }))
    }

    // ・ bullets (one item per line)
    const firstBullet = joinedLines.findIndex((line) => /^[・･]/u.test(line))
    if (firstBullet >= 0) {
      let end = firstBullet
      while (end < joinedLines.length && /^[・･]/u.test(joinedLines[end])) end++
      contract.subjectsText = joinedLines.slice(0, firstBullet).join('\n') || null
      setItems(
        joinedLines
          .slice(firstBullet, end)
          .map((line) => ({ ...itemWithNote(line), groupHeading: null }))
      )
      contract.itemsLayout = 'bullets'
      contract.itemsNote = joinedLines.slice(end).join('\n') || null
      return
    }
    // A numbered heading that names the items ('2 処理を依頼する個人情報の項目 メールアドレス …')
    const headed = joinedLines.findIndex((line) => {
      const number = leadingNumber(line)
      return number !== null && /^[^、。]*項目/u.test(number.rest)
    })
    if (headed >= 0) {
      const line = joinedLines[headed]
      const at = line.indexOf('項目') + 2
      const heading = line.slice(0, at).trim()
      const rest = line.slice(at).trim()
      const following: string[] = []
      let end = headed + 1
      if (rest === '') {
        while (end < joinedLines.length && !leadingNumber(joinedLines[end])) {
          following.push(joinedLines[end])
          end++
        }
      }
      const byComma = splitOutsideBrackets(rest)
      const names = rest
        ? byComma.length > 1
          ? byComma
          : splitOutsideBrackets(rest, true)
        : following.flatMap((entry) => splitOutsideBrackets(entry))
      if (names.length > 0) {
        contract.subjectsText = joinedLines.slice(0, headed).join('\n') || null
        setItems(
          names.map((name) => ({
            ...itemWithNote(name),
            groupHeading: heading,
          }))
        )
        contract.itemsLayout = 'lines'
        contract.itemsNote = joinedLines.slice(end).join('\n') || null
        return
      }
    }
    // Lines of items separated by 、, each group possibly under a heading: a 【…】 line above it,
    // 【…】 in front of it, or the first cell of a table row ('所有者<TAB>氏名、住所').
    const listed = joinedLines.findIndex((line) => listOf(line) !== null)
    if (listed >= 0) {
      let start = listed
      while (start > 0 && GROUP_HEADING_LINE.test(joinedLines[start - 1])) start--
      let end = listed
      while (
        end < joinedLines.length &&
        (listOf(joinedLines[end]) !== null ||
          (GROUP_HEADING_LINE.test(joinedLines[end]) &&
            end + 1 < joinedLines.length &&
            listOf(joinedLines[end + 1]) !== null))
      )
        end++
      const items: DraftDataItem[] = []
      let heading: string | null = null
      for (const line of joinedLines.slice(start, end)) {
        if (GROUP_HEADING_LINE.test(line)) {
          heading = line.trim()
          continue
        }
        const list = listOf(line)!
        if (list.heading !== null) heading = list.heading
        items.push(
          ...splitOutsideBrackets(list.items).map((part) => ({
            ...itemWithNote(part),
            groupHeading: heading,
          }))
        )
      }
      contract.subjectsText = joinedLines.slice(0, start).join('\n') || null
      setItems(items)
      contract.itemsLayout = 'comma'
      contract.itemsNote = joinedLines.slice(end).join('\n') || null
      return
    }
    contract.subjectsText = joinedLines.join('\n') || null
    this.#remark(`別紙${this.#draft.annexes.length}`, 'items_unread')
  }

  /** 電磁的媒体、紙（保存期間1年） */
  #media(section: string, contract: DraftContract, written: string): boolean {
    const media: RecordMedium[] = []
    const details: Partial<Record<RecordMedium, string>> = {}
    for (const part of splitOutsideBrackets(written)) {
      const { name, note } = itemWithNote(part)
      const medium = MEDIA_WORDS.find(([pattern]) => pattern.test(name))?.[1]
      if (!medium || media.includes(medium)) {
        this.#remark(section, 'media_unread', { text: written })
        contract.media = []
        return false
      }
      media.push(medium)
      if (note) details[medium] = note
    }
    contract.media = media
    contract.mediaDetails = details
    return true
  }

  /** 委託の内容: numbered blocks (1 …, 2 …) without their numbers, or one block as written. */
  #blocks(value: string, numbering: NumberingStyle): string[] {
    const list = entries(value, this.wrapped)
    const starts = list.filter((entry) => {
      const number = leadingNumber(entry)
      return number !== null && isTemplateMarker(number.marker, number.number, numbering)
    })
    if (starts.length >= 2) {
      const blocks: string[][] = []
      let expected = 1
      for (const entry of list) {
        const number = leadingNumber(entry)
        if (number && number.number === expected) {
          blocks.push([number.rest.trim()])
          expected++
        } else if (blocks.length > 0) {
          blocks[blocks.length - 1].push(entry)
        } else {
          return [list.join('\n')]
        }
      }
      return blocks.map((block) => block.join('\n'))
    }
    return [this.#text(value)]
  }

  /** Measures: numbered in the template's style → without numbers; otherwise as written. */
  #measures(value: string, numbering: NumberingStyle): string[] {
    const list = entries(value, this.wrapped)
    if (list.length <= 1) return list
    const stripped = withoutNumbers(list)
    if (
      stripped &&
      list.every((entry, at) => isTemplateMarker(leadingNumber(entry)!.marker, at + 1, numbering))
    ) {
      return stripped
    }
    return list
  }

  /** [lead]平成25年6月から平成26年3月31日まで[note], or from a date on (以降継続). */
  #period(section: string, contract: DraftContract, written: string) {
    const dates = writtenDates(written)
    const keep = () => {
      contract.periodType = 'fixed'
      contract.periodLead = written
      contract.startsOn = null
      contract.endsOn = null
      contract.periodNote = null
      this.#remark(section, 'period_unread', { text: written })
    }
    // No start date: '契約締結日から令和7年3月31日まで', '令和6年度から毎年度更新'. The start as
    // written is the lead (the register prints no date of its own before the end date).
    const until = written.match(/^(.*?から)[\s\u3000]*(.*)$/u)
    const startDate = dates[0]
    if (until && (!startDate || startDate.index >= until[1].length)) {
      const lead = until[1].trim()
      const rest = until[2]
      const [end] = writtenDates(rest)
      const after = end ? rest.slice(end.index + end.length).match(/^[\s\u3000]*まで/u) : null
      contract.startsOn = null
      contract.periodLead = lead
      if (end && end.index === 0 && end.precision === 'day' && after) {
        contract.periodType = 'fixed'
        contract.endsOn = end.iso
        contract.periodNote = rest.slice(end.length + after[0].length).trim() || null
        return
      }
      if (end) return keep()
      contract.periodType = /毎年度|更新/u.test(rest) ? 'renewed_yearly' : 'open_ended'
      contract.endsOn = null
      contract.periodNote = rest.trim() || null
      return
    }
    if (dates.length === 0) return keep()
    const start = dates[0]
    const lead = written.slice(0, start.index).trim()
    let rest = written.slice(start.index + start.length)
    const from = rest.match(/^[\s\u3000]*から/u)
    if (!from) return keep()
    rest = rest.slice(from[0].length)
    contract.periodLead = lead || null
    contract.startsOn = start.iso
    contract.startsOnPrecision = start.precision
    const end = dates[1]
    const endOffset = end ? end.index - (start.index + start.length + from[0].length) : -1
    if (
      end &&
      endOffset >= 0 &&
      rest.slice(0, endOffset).trim() === '' &&
      end.precision === 'day'
    ) {
      const after = rest.slice(endOffset + end.length).match(/^[\s\u3000]*まで/u)
      if (after) {
        contract.periodType = 'fixed'
        contract.endsOn = end.iso
        contract.periodNote = rest.slice(endOffset + end.length + after[0].length).trim() || null
        return
      }
    }
    if (end) return keep()
    contract.periodType = /毎年度|更新/u.test(rest) ? 'renewed_yearly' : 'open_ended'
    contract.endsOn = null
    contract.periodNote = rest.trim() || null
  }

  /** 特記事項: the clauses of the set, attached to the contracts printed before it. */
  #terms(section: string, rows: DocumentRow[]) {
    const lines: string[] = []
    for (const row of rows) {
      if (row.kind !== 'clause') continue
      if (row.label) lines.push(row.label)
      if (row.value) lines.push(row.value)
    }
    const parsed = parseClauses(lines.join('\n'))
    if (parsed.clauses.length === 0) {
      this.#remark(section, 'terms_unread')
      return
    }
    const clauses: DraftClause[] = parsed.clauses.map((clause) => ({
      number: clause.number,
      numberLabel: clause.numberLabel || null,
      heading: clause.heading,
      body: clause.body,
      items: clause.items,
    }))
    const index = this.#draft.termSets.length
    const attached = this.#draft.annexes.filter(
      (annex): annex is Extract<DraftAnnex, { kind: 'contract' }> =>
        annex.kind === 'contract' && annex.contract.termSet === null
    )
    if (attached.length === 0) this.#remark(section, 'terms_without_contract')
    for (const annex of attached) annex.contract.termSet = index
    const forSubcontracts =
      attached.length > 0 && attached.every((annex) => annex.contract.parentAnnex !== null)
    const match = this.matches.termSet(clauses)
    this.#draft.termSets.push({
      name: match?.name ?? `特記事項（${this.#draft.item.subject || this.#draft.system.name}）`,
      appliesTo: forSubcontracts ? 'subcontractor' : 'contractor',
      clauses,
      match,
    })
  }

  /** 担当課: matched by the names the document gives (保有課 first: it is the department itself). */
  #department(overview: string | null, contact: string | null, holders: string[]) {
    const candidates = [...holders, overview, contact].filter(
      (name): name is string => !!name && name.trim() !== ''
    )
    let chosen: { name: string; id: number | null; printedName: string } | null = null
    for (const name of candidates) {
      const match = this.matches.department(name)
      if (match) {
        this.#departmentParent = match.parentName ?? null
        chosen = {
          name: match.name,
          id: match.id,
          printedName: `${match.parentName ?? ''}${match.name}`,
        }
        break
      }
    }
    if (!chosen) {
      // The fullest name: confirming places the new unit under the one its name starts with.
      const fullest = [...candidates].sort((a, b) => b.length - a.length)[0] ?? ''
      chosen = { name: fullest, id: null, printedName: fullest }
      if (fullest) this.#remark('事業の概要', 'department_new', { name: fullest })
      else this.#remark('事業の概要', 'department_missing')
    }
    this.#draft.department = { name: chosen.name, id: chosen.id }
    const written = overview ?? contact
    const item = this.#draft.item
    item.departmentLabel =
      written && normalise(written) !== normalise(chosen.printedName) ? written : null
    for (const annex of this.#draft.annexes) {
      const holder = this.#holderWritten.get(annex)
      annex.wording.holderLabel =
        holder && normalise(holder) !== normalise(chosen.name) ? holder : null
    }
  }

  /** A contract's items are items of the system: the system's list gets those it lacks. */
  #systemItemsFromContracts() {
    const system = this.#draft.system
    const keyOfItem = (item: { name: string; note: string | null }) =>
      `${normalise(item.name)}\u0000${normalise(item.note ?? '')}`
    /** How many items of each name and note the system has: a contract may list one twice (氏名 of two groups). */
    const known = new Map<string, number>()
    for (const item of system.dataItems)
      known.set(keyOfItem(item), (known.get(keyOfItem(item)) ?? 0) + 1)
    for (const annex of this.#draft.annexes) {
      if (annex.kind !== 'contract') continue
      const listed = new Map<string, number>()
      for (const item of annex.contract.items) {
        const key = `${item.direction}\u0000${keyOfItem(item)}`
        const count = (listed.get(key) ?? 0) + 1
        listed.set(key, count)
        if (count <= (known.get(keyOfItem(item)) ?? 0)) continue
        known.set(keyOfItem(item), count)
        system.dataItems.push({ name: item.name, note: item.note, groupHeading: item.groupHeading })
      }
    }
  }
}

export type { TemplateRow }
