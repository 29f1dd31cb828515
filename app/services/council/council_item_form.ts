import type { I18n } from '@adonisjs/i18n'
import DepartmentDirectory from '#services/department_directory'
import DocumentTemplate from '#models/document_template'
import CouncilItemAnnex from '#models/council_item_annex'
import type CouncilItem from '#models/council_item'
import type PersonalDataSystem from '#models/personal_data_system'
import { EXTRA_ROW_FIRST, type ExtraRow } from '#services/council/template_rows'
import {
  TEMPLATE_KINDS,
  TEMPLATE_NAMES,
  type RowOverrides,
  type TemplateKind,
  type TemplateRow,
} from '#enums/document_template'

export interface AnnexFormRow {
  key: string
  /** The template's label (the privacy office's wording, else the ward's default). */
  label: string
  overrideLabel: string
  hidden: boolean
}

/** An extra row as the form posts it. */
export interface ExtraRowFields {
  extraAfter: string
  extraLabel: string
  extraValue: string
}

/** Where an extra row can go: first, after a template row (by its label), at the end. */
export interface ExtraRowPosition {
  value: string
  label: string
}

/** Blank extra rows offered below the saved ones. */
export const BLANK_EXTRA_ROWS = 3

export interface AnnexFormBlock {
  /** 'system' or 'contract:<id>' */
  key: string
  kind: TemplateKind
  contractId: number | null
  /** What the annex is about, for the fieldset legend. */
  title: string
  /** The template's name, e.g. 別紙（業務委託）. */
  templateName: string
  included: boolean
  subject: string
  subjectDefault: string
  caption: string
  holderLabel: string
  holderDefault: string
  rows: AnnexFormRow[]
  /** The annex's extra rows as saved, then blank rows to fill. */
  extraRows: ExtraRowFields[]
  positions: ExtraRowPosition[]
}

/**
 * What the council item form needs besides the item: one block per possible
 * annex (the system and each of its contracts) with the annex's wording as
 * stored and its template's rows, and the organisation names to suggest for
 * 担当部課 / 保有課.
 */
export default class CouncilItemForm {
  /** What a new item on the system starts with (`change`: a change item after an approval). */
  static suggestion(system: PersonalDataSystem, change: boolean, i18n: I18n) {
    return {
      subject: change ? i18n.t('council.items.change_subject', { name: system.name }) : system.name,
      consultationArticles: i18n.t('council.items.suggested_consultation'),
      reportArticles: system.contracts.length ? i18n.t('council.items.suggested_report') : '',
    }
  }

  /**
   * The form's blocks for the system (with its contracts loaded) and the item being edited
   * (null: a new one). The department names come from the organisation as read for the
   * request's `account` (DepartmentDirectory).
   */
  static async build(
    system: PersonalDataSystem,
    item: CouncilItem | null,
    i18n: I18n,
    account?: object
  ) {
    const subcontractLabel = i18n.t('register.contracts.subcontract')
    const undecidedLabel = i18n.t('register.contracts.undecided')
    const positionLabels = {
      first: i18n.t('council.items.extra_first'),
      last: i18n.t('council.items.extra_last'),
    }
    const directory = await DepartmentDirectory.load(account)
    const chain = CouncilItemForm.chain(directory, system.departmentId)
    const departmentName = chain.at(-1)?.name ?? ''
    const templates = await CouncilItemForm.templateRows()
    const byKey = new Map((item?.annexes ?? []).map((annex) => [annex.key, annex]))
    const itemSubject = item?.subject ?? system.name

    const block = (
      contractId: number | null,
      kind: TemplateKind,
      title: string,
      subjectDefault: string
    ): AnnexFormBlock => {
      const annex = byKey.get(CouncilItemAnnex.keyOf(contractId))
      const overrides: RowOverrides = annex?.rowOverrides ?? {}
      return {
        key: CouncilItemAnnex.keyOf(contractId),
        kind,
        contractId,
        title,
        templateName: TEMPLATE_NAMES[kind],
        // A new item includes the system and every contract; an edited one what it had.
        included: item ? !!annex : true,
        subject: annex?.subject ?? '',
        subjectDefault,
        caption: annex?.caption ?? '',
        holderLabel: annex?.holderLabel ?? '',
        holderDefault: departmentName,
        rows: templates[kind].map((row) => ({
          key: row.key,
          label: row.label,
          overrideLabel: overrides[row.key]?.label ?? '',
          hidden: overrides[row.key]?.hidden === true,
        })),
        extraRows: CouncilItemForm.extraRowFields(annex?.extraRows),
        positions: CouncilItemForm.positions(templates[kind], positionLabels),
      }
    }

    const annexes = [
      block(null, 'system_annex', system.name, itemSubject),
      ...system.contracts.map((contract) =>
        block(
          contract.id,
          contract.parentContractId ? 'subcontract_annex' : 'contract_annex',
          `${contract.parentContractId ? `${subcontractLabel}: ` : ''}${contract.title}（${contract.contractor ? contract.contractor.name : undecidedLabel}）`,
          contract.title
        )
      ),
    ]
    return {
      annexes,
      /** 事業の概要's extra rows and where they can go. */
      overview: {
        extraRows: CouncilItemForm.extraRowFields(item?.extraRows),
        positions: CouncilItemForm.positions(templates.overview, positionLabels),
      },
      organisationNames: CouncilItemForm.organisationNames(chain),
      /** What 担当部課 prints when left empty (上位の所属 + 所属, as the document builder does). */
      departmentDefault: chain
        .slice(-2)
        .map((department) => department.name)
        .join(''),
    }
  }

  /** Saved extra rows as form fields, then BLANK_EXTRA_ROWS blank rows (placed at the end). */
  static extraRowFields(saved: ExtraRow[] | null | undefined): ExtraRowFields[] {
    const rows = (Array.isArray(saved) ? saved : []).map((row) => ({
      extraAfter: String(row.after ?? ''),
      extraLabel: String(row.label ?? ''),
      extraValue: String(row.value ?? ''),
    }))
    const blank = Array.from({ length: BLANK_EXTRA_ROWS }, () => ({
      extraAfter: '',
      extraLabel: '',
      extraValue: '',
    }))
    return [...rows, ...blank]
  }

  /** Positions of an extra row: first, after each template row (by its label), at the end. */
  static positions(
    rows: TemplateRow[],
    labels: { first: string; last: string }
  ): ExtraRowPosition[] {
    return [
      { value: EXTRA_ROW_FIRST, label: labels.first },
      ...rows.map((row) => ({ value: row.key, label: row.label })),
      { value: '', label: labels.last },
    ]
  }

  /** The rows of each template as the privacy office edited them (the ward's defaults otherwise), in order. */
  static async templateRows(): Promise<Record<TemplateKind, TemplateRow[]>> {
    const templates = await DocumentTemplate.allByKind()
    return Object.fromEntries(TEMPLATE_KINDS.map((kind) => [kind, templates[kind].rows])) as Record<
      TemplateKind,
      TemplateRow[]
    >
  }

  /** The department and its parents, top first (部, 課, 係). */
  static chain(directory: DepartmentDirectory, departmentId: number): Array<{ name: string }> {
    return directory
      .chainIds(departmentId)
      .reverse()
      .flatMap((id) => directory.find(id) ?? [])
  }

  /**
   * Organisation names as documents write them: the unit alone or preceded by
   * its parents (広聴担当課, 区長室広聴担当課), for the department and each of
   * its parents, the department's own first.
   */
  static organisationNames(chain: Array<{ name: string }>): string[] {
    const names: string[] = []
    for (let end = chain.length - 1; end >= 0; end--) {
      for (let start = end; start >= 0; start--) {
        names.push(
          chain
            .slice(start, end + 1)
            .map((department) => department.name)
            .join('')
        )
      }
    }
    return [...new Set(names)]
  }
}
