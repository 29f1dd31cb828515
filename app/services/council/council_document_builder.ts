import type { DateTime } from 'luxon'
import ContractWording, {
  groupedItemLines,
  type ItemLinkWording,
} from '#services/register/contract_wording'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import CouncilItem from '#models/council_item'
import DocumentTemplate from '#models/document_template'
import TemplateRows, { type ExtraRow } from '#services/council/template_rows'
import WardCalendar from '#services/ward_calendar'
import type { RowOverrides, TemplateKind } from '#enums/document_template'
import type { CouncilKind } from '#enums/council'
import type { ItemsLayout, StartsOnPrecision } from '#enums/contracts'
import type { PeriodType, RecordMedium } from '#enums/register'
import type {
  CouncilDocumentAnnex,
  CouncilDocumentData,
  CouncilDocumentSpecialTerms,
} from '#services/council/council_document_data'

const KIND_LABELS = { consultation: '諮問', report: '報告', prior_report: '事前報告' } as const

/** Values of the rows of one annex or of 事業の概要, by template row key. */
type RowValues = Record<string, string | string[] | null | undefined>

/*
 * What the builder reads, as plain data (CouncilDocumentView): the register's models loaded by
 * build() fit these interfaces, and an import draft (import/draft_document.ts) is converted to
 * them, so the same render() prints both.
 */

/** The parts of a template the builder reads (a DocumentTemplate fits). */
export type DocumentTemplateView = Pick<DocumentTemplate, 'rows' | 'numbering' | 'parts'>
export type DocumentTemplatesView = Record<TemplateKind, DocumentTemplateView>

export interface DocumentDepartmentView {
  name: string
  parent?: { name: string } | null
}

export interface DocumentSystemView {
  name: string
  businessName: string | null
  purpose: string
  subjectsSummary: string | null
  description: string | null
  recordingComputer: string | null
  changeReason: string | null
  changeContent: string | null
  developmentMeasures: string | null
  changeSchedule: string | null
  /** The system's department: its own name is the default 保有課. */
  department: { name: string }
  subjectGroups: Array<{ description: string }>
  /** In print order. */
  dataItems: Array<{ name: string; note: string | null; groupHeading: string | null }>
}

export interface DocumentClauseView {
  number: number
  numberLabel: string | null
  heading: string
  body: string
  items: string[]
}

/** A special-terms set: the same id (and object) for every contract that attaches it. */
export interface DocumentTermSetView {
  id: number
  clauses: DocumentClauseView[]
}

export type DocumentItemLinkView = ItemLinkWording

export interface DocumentContractView {
  title: string
  /** Set (any non-zero id) for a subcontract. */
  parentContractId: number | null
  contractor: { name: string } | null
  undecidedNote: string | null
  /** A subcontract's contract (its contractor is printed as 委託先). */
  parent: { contractor: { name: string } | null; undecidedNote: string | null } | null
  reason: string
  tasks: string[]
  subjectsText: string | null
  itemsNote: string | null
  itemsLayout: ItemsLayout
  itemLinks: DocumentItemLinkView[]
  media: RecordMedium[]
  mediaDetails: Partial<Record<RecordMedium, string>>
  periodType: PeriodType
  periodLead: string | null
  periodNote: string | null
  startsOn: DateTime | null
  startsOnPrecision: StartsOnPrecision
  endsOn: DateTime | null
  approvedOn: DateTime | null
  approvedBy: string | null
  wardMeasuresOperational: string[]
  wardMeasuresSystem: string[]
  contractorMeasuresOperational: string[]
  contractorMeasuresSystem: string[]
  specialTermSet: DocumentTermSetView | null
}

export interface DocumentAnnexView {
  /** Caption lines separated by \n (see annexCaptionLines). */
  caption: string | null
  subject: string | null
  holderLabel: string | null
  rowOverrides: RowOverrides | null
  extraRows: ExtraRow[] | null
  system: DocumentSystemView
  /** null for the system annex. */
  contract: DocumentContractView | null
}

/** A council item as the document prints it (a CouncilItem with its relations fits). */
export interface CouncilDocumentView {
  subject: string
  documentNumber: string | null
  meeting: { label: string } | null
  basis: Array<{ kind: CouncilKind; articles: string[] }>
  departmentLabel: string | null
  department: DocumentDepartmentView
  contactSection: string | null
  contactPerson: string | null
  contactExtension: string | null
  extraRows: ExtraRow[] | null
  /** In print order. */
  annexes: DocumentAnnexView[]
}

/** The caption as lines (empty lines dropped), as CouncilItemAnnex.captionLines. */
export function annexCaptionLines(caption: string | null): string[] {
  return (caption ?? '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
}

/** The template an annex prints with, as CouncilItemAnnex.templateKind. */
export function annexTemplateKind(annex: Pick<DocumentAnnexView, 'contract'>): TemplateKind {
  if (!annex.contract) return 'system_annex'
  return annex.contract.parentContractId ? 'subcontract_annex' : 'contract_annex'
}

/** 件名 as printed, as CouncilItemAnnex.subjectOr: its own, else the contract's title or the item's. */
export function annexSubject(
  annex: Pick<DocumentAnnexView, 'subject' | 'contract'>,
  itemSubject: string
): string {
  return annex.subject ?? (annex.contract ? annex.contract.title : itemSubject)
}

/**
 * Builds the council document of an item (諮問・報告事項) from the register: 件名, 条例の根拠,
 * 事業の概要, one 別紙 per system / contract / subcontract, each contract's special terms right
 * after its annex. Which rows print, in which order and under which label comes from the
 * document templates (様式) the privacy office edits, with per-annex overrides; the values are
 * the register's text as written.
 */
export default class CouncilDocumentBuilder {
  static async build(itemId: number, client?: QueryClientContract): Promise<CouncilDocumentData> {
    const options = client ? { client } : undefined
    const item = await CouncilItem.query(options)
      .where('id', itemId)
      .preload('meeting')
      .preload('department', (department) => department.preload('parent'))
      .preload('annexes', (annexes) =>
        annexes
          .orderBy('sortOrder')
          .preload('system', (system) =>
            system
              .preload('department')
              .preload('subjectGroups')
              .preload('dataItems', (items) => items.orderBy('sortOrder').orderBy('id'))
          )
          .preload('contract', (contract) =>
            contract
              .preload('contractor')
              .preload('specialTermSet', (set) => set.preload('clauses'))
              .preload('parent', (parent) => parent.preload('contractor'))
              .preload('itemLinks', (links) => links.preload('dataItem'))
          )
      )
      .firstOrFail()
    const templates = await DocumentTemplate.allByKind(client)
    return CouncilDocumentBuilder.render(item, templates)
  }

  /** The document from plain data (no database): what build() prints for the loaded item. */
  static render(item: CouncilDocumentView, templates: DocumentTemplatesView): CouncilDocumentData {
    const system = item.annexes[0]?.system
    const departmentName =
      item.departmentLabel?.trim() ||
      [item.department.parent?.name, item.department.name].filter(Boolean).join('')
    const overview = templates.overview
    const builder = new CouncilDocumentBuilder(templates)

    return {
      header: item.meeting
        ? [item.meeting.label, item.documentNumber].filter(Boolean).join(' ')
        : item.documentNumber,
      title: '情報公開・個人情報保護審議会 諮問・報告事項',
      subject: item.subject,
      basis: item.basis.map((entry) => ({
        kind: KIND_LABELS[entry.kind],
        articles: entry.articles,
      })),
      contact: CouncilDocumentBuilder.#contact(item, departmentName),
      overview: system
        ? TemplateRows.withExtraRows(
            TemplateRows.layout(overview.rows, {
              business_name: system.businessName ?? system.name,
              department: departmentName,
              purpose: system.purpose,
              subjects:
                system.subjectsSummary ??
                system.subjectGroups.map((group) => group.description).join('、'),
              description: system.description,
            }),
            item.extraRows,
            overview.rows.map((row) => row.key)
          )
        : [],
      annexes: CouncilDocumentBuilder.#withTermsAfterLastUse(
        item.annexes.map((annex) =>
          annex.contract
            ? builder.#contractAnnex(annex, annex.contract, item.subject)
            : builder.#systemAnnex(annex, item.subject)
        )
      ),
    }
  }

  readonly #templates: DocumentTemplatesView

  private constructor(templates: DocumentTemplatesView) {
    this.#templates = templates
  }

  /**
   * '（担当部課：…） 担当係 … 担当者 … 内線（…）' as on the council's form: printed once a contact is
   * given (the 担当係 and 担当者 labels even when blank, as the form shows them); none otherwise.
   */
  static #contact(
    item: Pick<CouncilDocumentView, 'contactSection' | 'contactPerson' | 'contactExtension'>,
    departmentName: string
  ): string | null {
    if (!item.contactSection && !item.contactPerson && !item.contactExtension) return null
    const parts = [
      `（担当部課：${departmentName}）`,
      `担当係 ${item.contactSection ?? ''}`.trim(),
      `担当者 ${item.contactPerson ?? ''}`.trim(),
    ]
    if (item.contactExtension) parts.push(`内線（${item.contactExtension}）`)
    return parts.join(' ')
  }

  /** A set used by consecutive annexes prints once, after the last of them. */
  static #withTermsAfterLastUse(annexes: CouncilDocumentAnnex[]): CouncilDocumentAnnex[] {
    return annexes.map((annex, index) => {
      const next = annexes[index + 1]
      const sameAsNext =
        next?.specialTerms && annex.specialTerms && next.specialTerms === annex.specialTerms
      return sameAsNext ? { ...annex, specialTerms: null } : annex
    })
  }

  /**
   * One 別紙 as the annex writes it: its captions and 件名, the rows of its template (system,
   * contract or subcontract) with its overrides and extra rows; 保有課 and 登録業務の名称 are
   * common to every kind.
   */
  #annex(
    annex: DocumentAnnexView,
    itemSubject: string,
    values: RowValues,
    terms: CouncilDocumentSpecialTerms | null = null
  ) {
    const template = this.#templates[annexTemplateKind(annex)]
    const rowValues: RowValues = {
      holder_department: annex.holderLabel?.trim() || annex.system.department.name,
      system_name: annex.system.name,
      ...values,
    }
    return {
      captions: annexCaptionLines(annex.caption),
      subject: annexSubject(annex, itemSubject),
      rows: TemplateRows.withExtraRows(
        TemplateRows.layout(template.rows, rowValues, annex.rowOverrides ?? {}),
        annex.extraRows,
        template.rows.map((row) => row.key)
      ),
      specialTerms: terms,
    }
  }

  /** 別紙 for a system's development or change (seed 000, first table). */
  #systemAnnex(annex: DocumentAnnexView, itemSubject: string): CouncilDocumentAnnex {
    const system = annex.system
    const template = this.#templates.system_annex
    const parts = template.parts
    const [subjectsLine, itemsLine, computerLine] = TemplateRows.number(
      [parts.subjects, parts.items, parts.computer],
      template.numbering
    )
    const groups = TemplateRows.number(
      system.subjectGroups.map((group) => group.description),
      'circled'
    )
    return this.#annex(annex, itemSubject, {
      recorded_items: [
        subjectsLine,
        ...groups,
        ...groupedItemLines(system.dataItems, 'comma', itemsLine),
        `${computerLine} ${system.recordingComputer ?? ''}`.trimEnd(),
      ],
      change_reason: system.changeReason,
      change_content: system.changeContent,
      development_measures: system.developmentMeasures,
      change_schedule: system.changeSchedule,
    })
  }

  /** 別紙 for a contract (seeds 000, 001 and 004) or a subcontract (its own template). */
  #contractAnnex(
    annex: DocumentAnnexView,
    contract: DocumentContractView,
    itemSubject: string
  ): CouncilDocumentAnnex {
    const isSubcontract = !!contract.parentContractId
    const numbering = this.#templates[annexTemplateKind(annex)].numbering

    const values: RowValues = {
      contractor: isSubcontract
        ? contract.parent
          ? ContractWording.contractor(contract.parent)
          : null
        : ContractWording.contractor(contract),
      subcontractor: isSubcontract ? ContractWording.contractor(contract) : null,
      subcontract_approval: contract.approvedOn
        ? `${WardCalendar.formatEra(contract.approvedOn)}（${contract.approvedBy}）`
        : null,
      data_items: ContractWording.itemsRow(contract),
      media: ContractWording.media(contract),
      reason: contract.reason,
      content: CouncilDocumentBuilder.blocks(contract.tasks, numbering),
      period: ContractWording.period(contract),
      ward_measures: CouncilDocumentBuilder.numbered(
        [...contract.wardMeasuresOperational, ...contract.wardMeasuresSystem],
        numbering
      ),
      contractor_measures: CouncilDocumentBuilder.numbered(
        [...contract.contractorMeasuresOperational, ...contract.contractorMeasuresSystem],
        numbering
      ),
    }
    return this.#annex(annex, itemSubject, values, this.#terms(contract.specialTermSet))
  }

  /**
   * Measures: a single one prints as written; several are numbered unless written with markers.
   * Public so the import's draft builder reads a document with the same numbering.
   */
  static numbered(lines: string[], numbering: DocumentTemplate['numbering']): string[] {
    const filled = lines.filter((line) => line.trim() !== '')
    return filled.length <= 1 ? filled : TemplateRows.number(filled, numbering)
  }

  /** 委託の内容: blocks (separated by a blank line) numbered when there are several. */
  static blocks(blocks: string[], numbering: DocumentTemplate['numbering']): string[] {
    if (blocks.length <= 1) return blocks.flatMap((block) => block.split(/\r?\n/))
    const firstLines = TemplateRows.number(
      blocks.map((block) => block.split(/\r?\n/)[0]),
      numbering
    )
    return blocks.flatMap((block, index) => [firstLines[index], ...block.split(/\r?\n/).slice(1)])
  }

  /** One printed set per clause-set version (the same object for every annex that attaches it). */
  readonly #termsCache = new Map<number, CouncilDocumentSpecialTerms>()

  #terms(set: DocumentTermSetView | null | undefined): CouncilDocumentSpecialTerms | null {
    if (!set) return null
    const cached = this.#termsCache.get(set.id)
    if (cached) return cached
    const terms = {
      title: '特記事項',
      clauses: set.clauses.map(({ number, numberLabel, heading, body, items }) => ({
        number,
        numberLabel,
        heading,
        body,
        items,
      })),
    }
    this.#termsCache.set(set.id, terms)
    return terms
  }
}
