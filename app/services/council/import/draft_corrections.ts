import { COUNCIL_KINDS, type CouncilKind } from '#enums/council'
import { RECORD_MEDIA, type RecordMedium } from '#enums/register'
import { ROW_KEYS, type RowOverrides, type TemplateKind } from '#enums/document_template'
import DomainError from '#exceptions/domain_error'
import { isNoHeadingMark, NO_HEADING } from '#services/register/data_item_list'
import { EXTRA_ROW_FIRST, type ExtraRow } from '#services/council/template_rows'
import { parse as parseClauses } from '#services/register/special_terms_text'
import type {
  DraftAnnex,
  DraftClause,
  DraftContract,
  DraftContractItem,
  DraftDataItem,
  ImportDraft,
} from '#services/council/import/import_draft'
import type { CouncilImportCorrections } from '#validators/council/council_import'

/**
 * The review form of an import (取込みの確認画面): the draft's fields as the officer edits
 * them (lists one per line, blocks separated by a blank line, data items in the bulk paste
 * format) and the corrections sent back applied to the draft.
 *
 * Nothing is lost: a text the officer did not change gives back exactly the draft's values
 * (a list line that is unchanged keeps its item as read, name and note as they were), so
 * saving the form without touching it leaves the draft as it was.
 */

/** Matches names to the register's records again after a correction (RegisterMatches). */
export interface CorrectionMatcher {
  department(name: string): { id: number; name: string } | null
  contractor(name: string, corporateNumber?: string | null): { id: number; name: string } | null
  termSet(
    clauses: DraftClause[]
  ): { setId: number; code: string; version: number; name: string } | null
}

const PROVIDED = '提供：'
const COLLECTED = '収集：'

/** Text as sent by a browser (CR LF) as the draft keeps it (LF); null for nothing. */
function text(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null
  const normalised = value.replace(/\r\n?/g, '\n')
  return normalised.trim() ? normalised : null
}

/** One entry per non-blank line (trailing spaces removed). */
export function linesOf(value: string | null | undefined): string[] {
  return (text(value) ?? '')
    .split('\n')
    .map((line) => line.replace(/[ \t\u3000]+$/u, ''))
    .filter((line) => line.trim())
}

/** Blocks separated by blank lines (委託の内容). */
export function blocksOf(value: string | null | undefined): string[] {
  return (text(value) ?? '')
    .split(/\n[ \t\u3000]*\n/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block.trim())
}

/** A data item as one line: 'name（note）', or name + note when the note has its brackets. */
export function itemLine(item: DraftDataItem): string {
  if (!item.note) return item.name
  return /^[（(]/.test(item.note) ? `${item.name}${item.note}` : `${item.name}（${item.note}）`
}

/** 'name（note）' → name and note; 'name(note)' keeps the note with its brackets, as written. */
export function parseItemLine(line: string): { name: string; note: string | null } {
  const trimmed = line.trim()
  const fullWidth = trimmed.match(/^(.+?)（([^（）]+)）$/u)
  if (fullWidth) return { name: fullWidth[1].trim(), note: fullWidth[2].trim() }
  const halfWidth = trimmed.match(/^(.+?)(\([^()]+\))$/u)
  if (halfWidth) return { name: halfWidth[1].trim(), note: halfWidth[2] }
  return { name: trimmed, note: null }
}

const HEADING_LINE = /^(?:【[^】]*】|〔[^〕]*〕|［[^］]*］|＜[^＞]*＞|《[^》]*》)$/u

/** Data items in the bulk paste format: 【heading】 lines open a group, － closes it. */
export function formatItems<T extends DraftDataItem>(
  items: T[],
  prefix: (item: T) => string = () => ''
): string {
  const lines: string[] = []
  let heading: string | null = null
  for (const item of items) {
    if (item.groupHeading !== heading) {
      lines.push(item.groupHeading ?? NO_HEADING)
      heading = item.groupHeading
    }
    lines.push(`${prefix(item)}${itemLine(item)}`)
  }
  return lines.join('\n')
}

/**
 * Reads the items back; an unchanged line keeps the item as read (its name and note), a
 * heading line that was in the draft keeps its heading as written.
 */
export function parseItems<T extends DraftDataItem>(
  value: string | null | undefined,
  original: T[],
  make: (line: string, heading: string | null, previous: T | undefined) => T,
  prefix: (item: T) => string = () => ''
): T[] {
  const known = new Map<string, T>()
  for (const item of original) {
    const key = `${prefix(item)}${itemLine(item)}`
    if (!known.has(key)) known.set(key, item)
  }
  const headings = new Set(original.map((item) => item.groupHeading).filter(Boolean) as string[])
  const items: T[] = []
  let heading: string | null = null
  for (const line of linesOf(value)) {
    const trimmed = line.trim()
    if (isNoHeadingMark(trimmed)) {
      heading = null
      continue
    }
    if (headings.has(trimmed) || HEADING_LINE.test(trimmed)) {
      heading = trimmed
      continue
    }
    items.push(make(trimmed, heading, known.get(trimmed)))
  }
  return items
}

/** A contract item's line: 提供： in front of items the ward provides. */
const directionPrefix = (item: DraftContractItem) => (item.direction === 'provided' ? PROVIDED : '')

/** The clauses as pasted text (numbers and headings as written), re-read by special_terms_text. */
export function formatClauses(clauses: DraftClause[]): string {
  const lines: string[] = []
  let heading: string | null = null
  for (const clause of clauses) {
    if (clause.heading && clause.heading !== heading) lines.push(`（${clause.heading}）`)
    heading = clause.heading || heading
    const number = clause.numberLabel ?? String(clause.number)
    lines.push(`${number}${number ? '　' : ''}${clause.body}`)
    lines.push(...clause.items)
  }
  return lines.join('\n')
}

/** Every editable text of the draft as the form shows it. */
export function formValues(draft: ImportDraft) {
  return {
    item: {
      subject: draft.item.subject,
      documentNumber: draft.item.documentNumber ?? '',
      basis: Object.fromEntries(
        COUNCIL_KINDS.map((kind) => [
          kind,
          (draft.item.basis.find((entry) => entry.kind === kind)?.articles ?? []).join('\n'),
        ])
      ) as Record<CouncilKind, string>,
      departmentLabel: draft.item.departmentLabel ?? '',
      contactSection: draft.item.contactSection ?? '',
      contactPerson: draft.item.contactPerson ?? '',
      contactExtension: draft.item.contactExtension ?? '',
      extraRows: extraRowValues(draft.item.extraRows),
    },
    department: { name: draft.department.name },
    system: {
      ...draft.system,
      businessName: draft.system.businessName ?? '',
      subjectsSummary: draft.system.subjectsSummary ?? '',
      subjectGroups: draft.system.subjectGroups.join('\n'),
      dataItems: formatItems(draft.system.dataItems),
      recordingComputer: draft.system.recordingComputer ?? '',
      description: draft.system.description ?? '',
      changeReason: draft.system.changeReason ?? '',
      changeContent: draft.system.changeContent ?? '',
      developmentMeasures: draft.system.developmentMeasures ?? '',
      changeSchedule: draft.system.changeSchedule ?? '',
    },
    annexes: draft.annexes.map((annex) => ({
      captions: annex.wording.captions.join('\n'),
      subject: annex.wording.subject ?? '',
      holderLabel: annex.wording.holderLabel ?? '',
      /** The template the annex prints with (its rows: overrides and positions). */
      templateKind: annexKind(annex),
      rowOverrides: Object.fromEntries(
        Object.entries(annex.wording.rowOverrides ?? {}).map(([key, override]) => [
          key,
          { label: override?.label ?? '', hidden: override?.hidden === true },
        ])
      ) as Record<string, { label: string; hidden: boolean }>,
      extraRows: extraRowValues(annex.wording.extraRows),
      contract: annex.kind === 'contract' ? contractValues(annex.contract) : null,
    })),
    leftOutLines: [...(draft.leftOutLines ?? [])],
    termSets: draft.termSets.map((set) => ({
      name: set.name,
      clauses: formatClauses(set.clauses),
    })),
  }
}

function contractValues(contract: DraftContract) {
  return {
    title: contract.title,
    contractorName: contract.contractor?.name ?? '',
    undecidedNote: contract.undecidedNote ?? '',
    selectionMethod: contract.selectionMethod ?? '',
    reason: contract.reason,
    tasks: contract.tasks.join('\n\n'),
    subjectsText: contract.subjectsText ?? '',
    items: formatItems(contract.items, directionPrefix),
    itemsNote: contract.itemsNote ?? '',
    periodType: contract.periodType,
    periodLead: contract.periodLead ?? '',
    startsOn: contract.startsOn ?? '',
    startsOnPrecision: contract.startsOnPrecision,
    endsOn: contract.endsOn ?? '',
    periodNote: contract.periodNote ?? '',
    media: contract.media,
    mediaDetails: Object.fromEntries(
      RECORD_MEDIA.map((medium) => [medium, contract.mediaDetails?.[medium] ?? ''])
    ) as Record<RecordMedium, string>,
    parentAnnex: contract.parentAnnex === null ? '' : String(contract.parentAnnex),
    wardMeasures: contract.wardMeasures.join('\n'),
    contractorMeasures: contract.contractorMeasures.join('\n'),
    approvedOn: contract.approvedOn ?? '',
    approvedBy: contract.approvedBy ?? '',
  }
}

export type ReviewFormValues = ReturnType<typeof formValues>

/** Blank 表にない行 offered below the ones read, to add a row the reader missed. */
export const BLANK_EXTRA_ROWS = 2

/** An extra row as the form shows it. */
export interface ExtraRowValues {
  label: string
  value: string
  after: string
}

/** The rows read, then BLANK_EXTRA_ROWS blank rows (at the end). */
function extraRowValues(rows: ExtraRow[] | undefined): ExtraRowValues[] {
  return [
    ...(rows ?? []).map((row) => ({
      label: row.label ?? '',
      value: row.value ?? '',
      after: row.after ?? '',
    })),
    ...Array.from({ length: BLANK_EXTRA_ROWS }, () => ({ label: '', value: '', after: '' })),
  ]
}

/** The template an annex prints with. */
export function annexKind(annex: DraftAnnex): TemplateKind {
  if (annex.kind === 'system') return 'system_annex'
  return annex.contract.parentAnnex === null ? 'contract_annex' : 'subcontract_annex'
}

/** The list as before when its text is unchanged (or not sent), else the lines (blocks) sent. */
function list(
  sent: string | null | undefined,
  before: string[],
  split = linesOf,
  joiner = '\n'
): string[] {
  if (sent === undefined) return before
  const unchanged = (text(sent) ?? '') === (text(before.join(joiner)) ?? '')
  return unchanged ? before : split(sent)
}

/** The value sent (null when emptied), or the value before when the field was not sent. */
function sentOr(sent: string | null | undefined, before: string | null): string | null {
  return sent === undefined ? before : text(sent)
}

/** Applies the corrections of the review form to a copy of the draft. */
export function applyCorrections(
  draft: ImportDraft,
  input: CouncilImportCorrections,
  matcher: CorrectionMatcher
): ImportDraft {
  const next: ImportDraft = structuredClone(draft)
  const { item, department, system } = input

  if (item) {
    next.item.subject = text(item.subject) ?? next.item.subject
    next.item.documentNumber = sentOr(item.documentNumber, next.item.documentNumber)
    next.item.departmentLabel = sentOr(item.departmentLabel, next.item.departmentLabel)
    next.item.contactSection = sentOr(item.contactSection, next.item.contactSection)
    next.item.contactPerson = sentOr(item.contactPerson, next.item.contactPerson)
    next.item.contactExtension = sentOr(item.contactExtension, next.item.contactExtension)
    next.item.extraRows = correctExtraRows(item.extraRows, draft.item.extraRows ?? [], 'overview')
    if (item.basis) {
      const kinds = [
        ...draft.item.basis.map((entry) => entry.kind),
        ...COUNCIL_KINDS.filter((kind) => !draft.item.basis.some((entry) => entry.kind === kind)),
      ]
      next.item.basis = kinds
        .map((kind) => ({
          kind,
          articles: list(
            item.basis?.[kind],
            draft.item.basis.find((entry) => entry.kind === kind)?.articles ?? []
          ),
        }))
        .filter((entry) => entry.articles.length)
    }
  }

  const departmentName = text(department?.name)
  if (departmentName && departmentName !== draft.department.name) {
    next.department = { name: departmentName, id: matcher.department(departmentName)?.id ?? null }
  }

  if (system) {
    next.system.name = text(system.name) ?? next.system.name
    next.system.businessName = sentOr(system.businessName, next.system.businessName)
    next.system.purpose = sentOr(system.purpose, next.system.purpose) ?? ''
    next.system.subjectsSummary = sentOr(system.subjectsSummary, next.system.subjectsSummary)
    next.system.subjectGroups = list(system.subjectGroups, draft.system.subjectGroups)
    if (system.dataItems !== undefined) {
      next.system.dataItems = parseItems(
        system.dataItems,
        draft.system.dataItems,
        (line, groupHeading, previous) => ({
          ...(previous ?? parseItemLine(line)),
          groupHeading,
        })
      )
    }
    next.system.recordingComputer = sentOr(system.recordingComputer, next.system.recordingComputer)
    if (system.mediaShown) next.system.media = (system.media ?? []) as RecordMedium[]
    next.system.description = sentOr(system.description, next.system.description)
    next.system.changeReason = sentOr(system.changeReason, next.system.changeReason)
    next.system.changeContent = sentOr(system.changeContent, next.system.changeContent)
    next.system.developmentMeasures = sentOr(
      system.developmentMeasures,
      next.system.developmentMeasures
    )
    next.system.changeSchedule = sentOr(system.changeSchedule, next.system.changeSchedule)
  }

  next.annexes = draft.annexes.map((annex, index) =>
    correctAnnex(annex, input.annexes?.[index], matcher)
  )
  checkParents(draft, next)

  if (input.leftOutShown !== undefined) {
    const sent = [...new Set(input.leftOutLines ?? [])].sort((a, b) => a - b)
    const before = draft.leftOutLines ?? []
    if (sent.join(',') !== before.join(',')) {
      if (sent.length) next.leftOutLines = sent
      else delete next.leftOutLines
    }
  }

  next.termSets = draft.termSets.map((set, index) => {
    const sent = input.termSets?.[index]
    if (!sent) return structuredClone(set)
    const corrected = structuredClone(set)
    corrected.name = text(sent.name) ?? set.name
    const clausesText = text(sent.clauses) ?? ''
    if (sent.clauses !== undefined && clausesText !== (text(formatClauses(set.clauses)) ?? '')) {
      corrected.clauses = parseClauses(clausesText).clauses.map((clause) => ({
        number: clause.number,
        numberLabel: clause.numberLabel || null,
        heading: clause.heading,
        body: clause.body,
        items: clause.items,
      }))
      corrected.match = matcher.termSet(corrected.clauses)
    }
    return corrected
  })
  return next
}

type AnnexInput = NonNullable<CouncilImportCorrections['annexes']>[number]

function correctAnnex(annex: DraftAnnex, sent: AnnexInput | undefined, matcher: CorrectionMatcher) {
  const next = structuredClone(annex)
  if (!sent) return next
  next.wording.captions = list(sent.captions, annex.wording.captions)
  next.wording.subject = sentOr(sent.subject, next.wording.subject)
  next.wording.holderLabel = sentOr(sent.holderLabel, next.wording.holderLabel)
  const kind = annexKind(annex)
  next.wording.rowOverrides = correctOverrides(sent.rowOverrides, annex.wording.rowOverrides, kind)
  next.wording.extraRows = correctExtraRows(sent.extraRows, annex.wording.extraRows ?? [], kind)
  if (next.kind !== 'contract' || annex.kind !== 'contract') return next
  const before = annex.contract
  const contract = next.contract
  contract.title = text(sent.title) ?? before.title
  if (sent.parentAnnex !== undefined) contract.parentAnnex = sent.parentAnnex ?? null
  const contractorName = sentOr(sent.contractorName, before.contractor?.name ?? null)
  if (contractorName !== (before.contractor?.name ?? null)) {
    contract.contractor = contractorName
      ? {
          name: contractorName,
          id: matcher.contractor(contractorName)?.id ?? null,
          corporateNumber: null,
        }
      : null
  }
  contract.undecidedNote = sentOr(sent.undecidedNote, contract.undecidedNote)
  if (sent.selectionMethod !== undefined) contract.selectionMethod = sent.selectionMethod ?? null
  contract.reason = sentOr(sent.reason, contract.reason) ?? ''
  contract.tasks = list(sent.tasks, before.tasks, blocksOf, '\n\n')
  contract.subjectsText = sentOr(sent.subjectsText, contract.subjectsText)
  if (sent.items !== undefined) {
    contract.items = parseItems(
      sent.items,
      before.items,
      (line, groupHeading, previous) => {
        if (previous) return { ...previous, groupHeading }
        const provided = line.startsWith(PROVIDED)
        const bare = line.replace(new RegExp(`^(?:${PROVIDED}|${COLLECTED})`, 'u'), '')
        return {
          ...parseItemLine(bare),
          groupHeading,
          direction: provided ? ('provided' as const) : ('collected' as const),
        }
      },
      directionPrefix
    )
  }
  contract.itemsNote = sentOr(sent.itemsNote, contract.itemsNote)
  if (sent.periodType) contract.periodType = sent.periodType
  contract.periodLead = sentOr(sent.periodLead, contract.periodLead)
  contract.startsOn = sentOr(sent.startsOn, contract.startsOn)
  if (sent.startsOnPrecision) contract.startsOnPrecision = sent.startsOnPrecision
  contract.endsOn = sentOr(sent.endsOn, contract.endsOn)
  contract.periodNote = sentOr(sent.periodNote, contract.periodNote)
  if (sent.mediaShown) contract.media = (sent.media ?? []) as RecordMedium[]
  if (sent.mediaDetails) {
    const details: Partial<Record<RecordMedium, string>> = { ...before.mediaDetails }
    for (const medium of RECORD_MEDIA) {
      if (!Object.prototype.hasOwnProperty.call(sent.mediaDetails, medium)) continue
      const detail = text(sent.mediaDetails[medium])?.trim() ?? null
      if (detail === (text(before.mediaDetails?.[medium])?.trim() ?? null)) continue
      if (detail) details[medium] = detail
      else delete details[medium]
    }
    contract.mediaDetails = details
  }
  contract.wardMeasures = list(sent.wardMeasures, before.wardMeasures)
  contract.contractorMeasures = list(sent.contractorMeasures, before.contractorMeasures)
  contract.approvedOn = sentOr(sent.approvedOn, contract.approvedOn)
  contract.approvedBy = sentOr(sent.approvedBy, contract.approvedBy)
  return next
}

/**
 * A subcontract's parent, when the officer changed it, must be another contract that is not
 * itself a subcontract (別紙 of a 委託); else the form comes back with the message under it.
 */
function checkParents(before: ImportDraft, next: ImportDraft) {
  next.annexes.forEach((annex, index) => {
    if (annex.kind !== 'contract') return
    const parent = annex.contract.parentAnnex
    const previous = before.annexes[index]
    if (previous.kind === 'contract' && previous.contract.parentAnnex === parent) return
    if (parent === null) return
    const target = next.annexes[parent]
    const hasChildren = next.annexes.some(
      (other) => other.kind === 'contract' && other.contract.parentAnnex === index
    )
    if (
      parent === index ||
      !target ||
      target.kind !== 'contract' ||
      target.contract.parentAnnex !== null ||
      hasChildren
    ) {
      throw new DomainError('council_imports.ui.review.parent_invalid', {
        field: `annexes.${index}.parentAnnex`,
        data: { number: index + 1 },
      })
    }
  })
}

type ExtraRowInput = NonNullable<NonNullable<CouncilImportCorrections['item']>['extraRows']>[number]

/** The same text once line breaks and trailing spaces are set aside (what a browser changes). */
const sameText = (a: string | null | undefined, b: string | null | undefined) =>
  (text(a)
    ?.replace(/[ \t\u3000]+$/gmu, '')
    .trimEnd() ?? '') ===
  (text(b)
    ?.replace(/[ \t\u3000]+$/gmu, '')
    .trimEnd() ?? '')

/**
 * 表にない行 as sent: in form order, a row whose label, value and position are unchanged kept
 * exactly as read, a row with neither label nor value dropped; a position the template of the
 * annex does not have reads as the end ('').
 */
function correctExtraRows(
  sent: Array<ExtraRowInput> | undefined,
  before: ExtraRow[],
  kind: TemplateKind
): ExtraRow[] {
  if (sent === undefined) return structuredClone(before)
  const rows: ExtraRow[] = []
  sent.forEach((row, index) => {
    const after = row.after ?? ''
    const read = before[index]
    if (
      read &&
      sameText(read.label, row.label) &&
      sameText(read.value, row.value) &&
      (read.after ?? '') === after
    ) {
      rows.push(structuredClone(read))
      return
    }
    const label = text(row.label)?.trim() ?? ''
    const value = (text(row.value) ?? '').replace(/\s+$/u, '')
    if (!label && !value.trim()) return
    rows.push({
      label,
      value,
      after: after === EXTRA_ROW_FIRST || ROW_KEYS[kind].includes(after) ? after : '',
    })
  })
  const unchanged =
    rows.length === before.length && rows.every((row, index) => row === before[index])
  return unchanged ? structuredClone(before) : rows
}

type OverridesInput = NonNullable<AnnexInput['rowOverrides']>

/**
 * Row overrides as sent (one entry per template row shown: 見出しを変更 and この行を印刷しない);
 * a row whose label and tick are unchanged keeps its override as read, rows not sent too.
 */
function correctOverrides(
  sent: OverridesInput | undefined,
  before: RowOverrides | undefined,
  kind: TemplateKind
): RowOverrides {
  const next: RowOverrides = structuredClone(before ?? {})
  if (!sent) return next
  for (const [key, row] of Object.entries(sent)) {
    if (!ROW_KEYS[kind].includes(key)) continue
    const read = before?.[key]
    const label = text(row?.label)?.trim() ?? ''
    const hidden = row?.hidden === true
    if (sameText(read?.label, label) && (read?.hidden === true) === hidden) continue
    const entry = { ...(label ? { label } : {}), ...(hidden ? { hidden: true } : {}) }
    if (Object.keys(entry).length) next[key] = entry
    else delete next[key]
  }
  return next
}
