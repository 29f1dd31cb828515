import type { CouncilKind } from '#enums/council'
import type { RowOverrides } from '#enums/document_template'
import type { ItemsLayout, StartsOnPrecision } from '#enums/contracts'
import type { ItemDirection, PeriodType, RecordMedium, SelectionMethod } from '#enums/register'
import type { ExtraRow } from '#services/council/template_rows'

/**
 * A council document read into the register's shape, before anything is saved (取込みの下書き).
 *
 * The draft builder (draft_builder.ts) fills it from the document's text; the officer corrects
 * it on the review screen; ConfirmCouncilImport saves it in one transaction as a department and
 * contractors (matched or new), one system with its subject groups and data items, its contracts
 * and subcontracts, special-terms sets (matched or new) and one council item with its annexes.
 *
 * Plain JSON (stored in council_imports.draft): dates are ISO strings (YYYY-MM-DD), text is as
 * written in the document (line breaks as \n), lists are in document order.
 */
export interface ImportDraft {
  item: DraftItem
  /** 担当課: the department the system and the item belong to. */
  department: DraftParty
  system: DraftSystem
  /** The document's 別紙, in document order: at most one system annex, then contracts. */
  annexes: DraftAnnex[]
  /** The 特記事項 sets of the document, in document order. */
  termSets: DraftTermSet[]
  /** What the reader could not structure and kept as written, for the officer to check. */
  remarks: DraftRemark[]
  /**
   * Numbers (1-based) of source lines no field uses that the officer checked as deliberately
   * left out (取り込まない行として確認済み): still shown, no longer counted as unused.
   * Absent = none. Set on the review screen only, never by the reader.
   */
  leftOutLines?: number[]
}

/** A department or contractor: matched to a record of the register, or to be created. */
export interface DraftParty {
  /** The name as the document writes it (a new record takes this name). */
  name: string
  /** The matching record; null = created on confirmation. */
  id: number | null
  /** 法人番号 (13 digits) when the document gives one (contractors only). */
  corporateNumber?: string | null
}

export interface DraftItem {
  /** 件名 of the cover. */
  subject: string
  /** The cover's top-right line as written ('平成19年度 第7回 資料33'), kept as the document number. */
  documentNumber: string | null
  basis: Array<{ kind: CouncilKind; articles: string[] }>
  /** 担当課 / 担当部課 as written when it differs from the department's name. */
  departmentLabel: string | null
  contactSection: string | null
  contactPerson: string | null
  contactExtension: string | null
  /** Rows of 事業の概要 that the template does not model, as written. */
  extraRows: ExtraRow[]
}

export interface DraftDataItem {
  name: string
  /** Printed after the name: '(ID登録用)' or 'ID登録用' (then printed in （）). */
  note: string | null
  /** The heading of the item's group as printed above it ('【申請者】'); null = none. */
  groupHeading: string | null
}

export interface DraftSystem {
  /** 登録業務の名称 */
  name: string
  /** 事業名 (null = the name) */
  businessName: string | null
  purpose: string
  /** 対象者 as written */
  subjectsSummary: string | null
  /** 個人の範囲, one group per entry, without the ①② markers. */
  subjectGroups: string[]
  dataItems: DraftDataItem[]
  recordingComputer: string | null
  media: RecordMedium[]
  /** 事業内容 (paragraphs separated by \n) */
  description: string | null
  changeReason: string | null
  changeContent: string | null
  developmentMeasures: string | null
  changeSchedule: string | null
}

/** How an annex is written besides its register values (see CouncilItemAnnex). */
export interface DraftAnnexWording {
  captions: string[]
  /** The annex's 件名 when it differs from the default (item subject / contract title). */
  subject: string | null
  /** 保有課 as written when it differs from the department's name. */
  holderLabel: string | null
  rowOverrides: RowOverrides
  extraRows: ExtraRow[]
}

export type DraftAnnex =
  | { kind: 'system'; wording: DraftAnnexWording }
  | { kind: 'contract'; wording: DraftAnnexWording; contract: DraftContract }

export interface DraftContractItem extends DraftDataItem {
  direction: ItemDirection
}

export interface DraftContract {
  /** The annex's 件名 (the contract's title). */
  title: string
  /** Index in `annexes` of the contract a subcontract belongs to; null = a contract. */
  parentAnnex: number | null
  /** The contractor; null while undecided (then `undecidedNote` / `selectionMethod`). */
  contractor: DraftParty | null
  undecidedNote: string | null
  selectionMethod: SelectionMethod | null
  reason: string
  /** 委託の内容: blocks, without the numbers the template adds. */
  tasks: string[]
  subjectsText: string | null
  /** In print order; each names a data item of the system (same name and note). */
  items: DraftContractItem[]
  itemsLayout: ItemsLayout
  itemsNote: string | null
  periodType: PeriodType
  periodLead: string | null
  startsOn: string | null
  startsOnPrecision: StartsOnPrecision
  endsOn: string | null
  periodNote: string | null
  media: RecordMedium[]
  mediaDetails: Partial<Record<RecordMedium, string>>
  wardMeasures: string[]
  contractorMeasures: string[]
  /** Index in `termSets` of the special terms attached to this contract; null = none. */
  termSet: number | null
  /** 再委託の承認: date (ISO) and by whom, as written. */
  approvedOn: string | null
  approvedBy: string | null
}

export interface DraftClause {
  number: number
  numberLabel: string | null
  heading: string
  body: string
  items: string[]
}

export interface DraftTermSet {
  /** The set's name (a new set takes it). */
  name: string
  appliesTo: 'contractor' | 'subcontractor'
  clauses: DraftClause[]
  /** The existing set (and version) with the same clauses; null = created on confirmation. */
  match: { setId: number; code: string; version: number; name: string } | null
}

export interface DraftRemark {
  /** Where: '表紙', '事業の概要', '別紙2', '特記事項1'. */
  section: string
  /** i18n key under council.imports.remarks (with `data`). */
  message: string
  data?: Record<string, string | number>
}
