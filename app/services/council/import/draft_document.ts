import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import Department from '#models/department'
import DocumentTemplate from '#models/document_template'
import CouncilDocumentBuilder, {
  type CouncilDocumentView,
  type DocumentAnnexView,
  type DocumentContractView,
  type DocumentDepartmentView,
  type DocumentItemLinkView,
  type DocumentSystemView,
  type DocumentTemplatesView,
  type DocumentTermSetView,
} from '#services/council/council_document_builder'
import type { CouncilDocumentData } from '#services/council/council_document_data'
import type {
  DraftContract,
  DraftContractItem,
  ImportDraft,
} from '#services/council/import/import_draft'

/**
 * The council document an import draft would print once confirmed: the draft converted to the
 * builder's view (CouncilDocumentView) and rendered by CouncilDocumentBuilder.render, so the
 * preview prints exactly what the register will. Pure; `draftDocumentFor` loads what it needs.
 *
 * `department` is the item's department as the builder reads it: its name (the 保有課 default)
 * and its parent (the 担当課 prints parent + name); a string is a department without parent.
 */
export function draftDocument(
  draft: ImportDraft,
  templates: DocumentTemplatesView,
  department: string | DocumentDepartmentView
): CouncilDocumentData {
  return CouncilDocumentBuilder.render(draftView(draft, department), templates)
}

/** draftDocument with the templates and the matched department (with its parent) loaded. */
export async function draftDocumentFor(
  draft: ImportDraft,
  client?: QueryClientContract
): Promise<CouncilDocumentData> {
  const templates = await DocumentTemplate.allByKind(client)
  let department: DocumentDepartmentView = { name: draft.department.name, parent: null }
  if (draft.department.id !== null) {
    const found = await Department.query(client ? { client } : undefined)
      .where('id', draft.department.id)
      .preload('parent')
      .first()
    if (found) department = { name: found.name, parent: found.parent ?? null }
  }
  return draftDocument(draft, templates, department)
}

const date = (iso: string | null): DateTime | null => {
  if (!iso) return null
  const parsed = DateTime.fromISO(iso)
  return parsed.isValid ? parsed : null
}

/** The draft as the builder reads a council item with its annexes. */
export function draftView(
  draft: ImportDraft,
  department: string | DocumentDepartmentView
): CouncilDocumentView {
  const itemDepartment: DocumentDepartmentView =
    typeof department === 'string' ? { name: department, parent: null } : department
  const source = draft.system
  const system: DocumentSystemView = {
    name: source.name,
    businessName: source.businessName,
    purpose: source.purpose,
    subjectsSummary: source.subjectsSummary,
    description: source.description,
    recordingComputer: source.recordingComputer,
    changeReason: source.changeReason,
    changeContent: source.changeContent,
    developmentMeasures: source.developmentMeasures,
    changeSchedule: source.changeSchedule,
    department: { name: itemDepartment.name },
    subjectGroups: source.subjectGroups.map((description) => ({ description })),
    dataItems: source.dataItems.map(({ name, note, groupHeading }) => ({
      name,
      note,
      groupHeading,
    })),
  }

  // One object per set, shared by every contract that attaches it (printed once when shared).
  const termSets: DocumentTermSetView[] = draft.termSets.map((set, index) => ({
    id: index + 1,
    clauses: set.clauses,
  }))

  const contractOf = (contract: DraftContract): DocumentContractView => {
    const parentAnnex = contract.parentAnnex === null ? null : draft.annexes[contract.parentAnnex]
    const parent = parentAnnex?.kind === 'contract' ? parentAnnex.contract : null
    return {
      title: contract.title,
      parentContractId: contract.parentAnnex === null ? null : contract.parentAnnex + 1,
      contractor: contract.contractor ? { name: contract.contractor.name } : null,
      undecidedNote: contract.undecidedNote,
      parent: parent
        ? {
            contractor: parent.contractor ? { name: parent.contractor.name } : null,
            undecidedNote: parent.undecidedNote,
          }
        : null,
      reason: contract.reason,
      tasks: contract.tasks,
      subjectsText: contract.subjectsText,
      itemsNote: contract.itemsNote,
      itemsLayout: contract.itemsLayout,
      itemLinks: itemLinks(contract.items),
      media: contract.media,
      mediaDetails: contract.mediaDetails ?? {},
      periodType: contract.periodType,
      periodLead: contract.periodLead,
      periodNote: contract.periodNote,
      startsOn: date(contract.startsOn),
      startsOnPrecision: contract.startsOnPrecision,
      endsOn: date(contract.endsOn),
      approvedOn: date(contract.approvedOn),
      approvedBy: contract.approvedBy,
      wardMeasuresOperational: contract.wardMeasures,
      wardMeasuresSystem: [],
      contractorMeasuresOperational: contract.contractorMeasures,
      contractorMeasuresSystem: [],
      specialTermSet: contract.termSet === null ? null : (termSets[contract.termSet] ?? null),
    }
  }

  const annexes: DocumentAnnexView[] = draft.annexes.map((annex) => ({
    caption: annex.wording.captions.length > 0 ? annex.wording.captions.join('\n') : null,
    subject: annex.wording.subject,
    holderLabel: annex.wording.holderLabel,
    rowOverrides: annex.wording.rowOverrides ?? {},
    extraRows: annex.wording.extraRows ?? [],
    system,
    contract: annex.kind === 'contract' ? contractOf(annex.contract) : null,
  }))

  return {
    subject: draft.item.subject,
    documentNumber: draft.item.documentNumber,
    meeting: null,
    basis: draft.item.basis,
    departmentLabel: draft.item.departmentLabel,
    department: itemDepartment,
    contactSection: draft.item.contactSection,
    contactPerson: draft.item.contactPerson,
    contactExtension: draft.item.contactExtension,
    extraRows: draft.item.extraRows ?? [],
    annexes,
  }
}

/**
 * A contract's ticked items as the register stores them: in print order per direction, a group's
 * heading on the first item of each run of items under the same heading (ContractWording.itemLines
 * carries it to the following items). An item without a heading after a headed group cannot be
 * stored apart from that group (it prints under the heading above it), as in the register.
 */
function itemLinks(items: DraftContractItem[]): DocumentItemLinkView[] {
  const previousHeading = new Map<string, string | null>()
  return items.map((item, index) => {
    const heading = item.groupHeading?.trim() || null
    const previous = previousHeading.has(item.direction)
      ? previousHeading.get(item.direction)!
      : null
    previousHeading.set(item.direction, heading)
    return {
      id: index + 1,
      direction: item.direction,
      sortOrder: index + 1,
      groupHeading: heading !== null && heading !== previous ? heading : null,
      note: item.note,
      dataItem: { name: item.name },
    }
  })
}
