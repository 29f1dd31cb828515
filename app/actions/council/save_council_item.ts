import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type { ModelAttributes } from '@adonisjs/lucid/types/model'
import CouncilItem, { type CouncilBasis } from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import Contract from '#models/contract'
import type PersonalDataSystem from '#models/personal_data_system'
import AuditLogger from '#services/audit_logger'
import RowBatch from '#services/row_batch'
import SeparationOfDuties from '#services/separation_of_duties'
import type User from '#models/user'
import type { councilItemValidator } from '#validators/council/council'
import { EDITABLE_COUNCIL_STATUSES } from '#enums/council'
import { ROW_KEYS, type RowOverrides, type TemplateKind } from '#enums/document_template'
import { EXTRA_ROW_FIRST, type ExtraRow } from '#services/council/template_rows'
import { presentRows } from '#validators/list_input'
import DomainError from '#exceptions/domain_error'

export type CouncilItemInput = Infer<typeof councilItemValidator>
type AnnexWording = NonNullable<CouncilItemInput['annexes']>[number]

type ExtraRowInput = NonNullable<CouncilItemInput['overviewExtraRows']>[number]

/**
 * Extra rows as stored: in form order, rows with neither label nor value dropped, the value's
 * line breaks as \n and trailing blank lines removed; a position the template does not have
 * reads as the end ('').
 */
export function extraRowsOf(
  rows: Array<ExtraRowInput | null> | undefined,
  kind: TemplateKind
): ExtraRow[] {
  return presentRows(rows)
    .map((row) => ({
      label: row.extraLabel?.trim() ?? '',
      value: (row.extraValue ?? '').replace(/\r\n?/g, '\n').replace(/\s+$/u, ''),
      after:
        row.extraAfter === EXTRA_ROW_FIRST || ROW_KEYS[kind].includes(row.extraAfter ?? '')
          ? row.extraAfter!
          : '',
    }))
    .filter((row) => row.label !== '' || row.value.trim() !== '')
}

/** The annex's wording as stored: empty = the default (null), caption lines without blank lines. */
function annexColumns(wording: AnnexWording | undefined, kind: TemplateKind) {
  const captionLines = (wording?.captions ?? '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
  const rowOverrides: RowOverrides = {}
  for (const [key, override] of Object.entries(wording?.overrides ?? {})) {
    if (!ROW_KEYS[kind].includes(key)) continue
    const label = override.rowLabel?.trim()
    const entry = { ...(label ? { label } : {}), ...(override.hidden ? { hidden: true } : {}) }
    if (Object.keys(entry).length) rowOverrides[key] = entry
  }
  return {
    subject: wording?.subject?.trim() || null,
    caption: captionLines.length ? captionLines.join('\n') : null,
    holderLabel: wording?.holderLabel?.trim() || null,
    rowOverrides,
    extraRows: extraRowsOf(wording?.extraRows, kind),
  }
}

/**
 * Creates or edits a draft item for a system: its 件名, the ordinance
 * articles it rests on, the contact and 担当部課 as written, and the annexes
 * (the system itself and/or its contracts) with their own 件名, caption
 * lines, 保有課 and row overrides. An annex keeps its row (and its wording)
 * across saves for as long as its system / contract stays selected. Only
 * drafts can be edited; an edit after the supervisor's approval needs
 * approving again. A refusal throws a DomainError on the field concerned.
 */
@inject()
export default class SaveCouncilItem {
  constructor(private auditLog: AuditLogger) {}

  /** `user`: the drafter or editor, recorded so that they cannot approve the item. */
  async handle(
    item: CouncilItem,
    system: PersonalDataSystem,
    input: CouncilItemInput,
    user?: User
  ): Promise<CouncilItem> {
    if (item.$isPersisted && !EDITABLE_COUNCIL_STATUSES.includes(item.status)) {
      throw new DomainError('council.items.only_drafts', { field: 'subject' })
    }
    const basis: CouncilBasis[] = [
      { kind: 'consultation' as const, articles: input.consultationArticles ?? [] },
      { kind: 'report' as const, articles: input.reportArticles ?? [] },
      { kind: 'prior_report' as const, articles: input.priorReportArticles ?? [] },
    ].filter((entry) => entry.articles.length > 0)
    if (basis.length === 0) {
      throw new DomainError('council.items.basis_required', { field: 'consultationArticles' })
    }
    const contractIds = input.contractIds ?? []
    const contracts = contractIds.length
      ? await Contract.query().where('systemId', system.id).whereIn('id', contractIds).orderBy('id')
      : []
    if (contracts.length !== contractIds.length) {
      throw new DomainError('council.items.contracts_of_system', { field: 'contractIds' })
    }
    if (!input.includeSystem && contracts.length === 0) {
      throw new DomainError('council.items.annex_required', { field: 'contractIds' })
    }
    const wordings = new Map(
      (input.annexes ?? []).filter((entry) => entry.key).map((entry) => [entry.key!, entry])
    )
    const wanted = [
      ...(input.includeSystem ? [{ contractId: null, kind: 'system_annex' as TemplateKind }] : []),
      ...contracts.map((contract) => ({
        contractId: contract.id as number | null,
        kind: (contract.parentContractId ? 'subcontract_annex' : 'contract_annex') as TemplateKind,
      })),
    ]

    const isNew = !item.$isPersisted
    // An approved item edited is a new draft: its approval is asked for again.
    const wasApproved = item.$isPersisted && item.status === 'approved'
    await db.transaction(async (trx) => {
      item.useTransaction(trx)
      if (wasApproved) item.merge({ requestedAt: null, approvalEscalatedAt: null })
      item.merge({
        departmentId: system.departmentId,
        subject: input.subject,
        basis,
        departmentLabel: input.departmentLabel?.trim() || null,
        extraRows: extraRowsOf(input.overviewExtraRows, 'overview'),
        contactSection: input.contactSection ?? null,
        contactPerson: input.contactPerson ?? null,
        contactExtension: input.contactExtension ?? null,
        status: 'draft',
        approvedByUserId: null,
        approvedAt: null,
      })
      if (user) {
        if (isNew) item.createdByUserId = user.id
        item.drafterUserIds = SeparationOfDuties.withDrafter(
          { drafterUserIds: item.drafterUserIds ?? [] },
          user
        )
      }
      const changedFields = Object.keys(item.$dirty)
      await item.save()

      const saved = await CouncilItemAnnex.query({ client: trx })
        .where('itemId', item.id)
        .orderBy('id')
      const existing = new Map(saved.map((annex) => [annex.key, annex]))
      const kept: CouncilItemAnnex[] = []
      const added: Array<Partial<ModelAttributes<CouncilItemAnnex>>> = []
      for (const [order, { contractId, kind }] of wanted.entries()) {
        const key = CouncilItemAnnex.keyOf(contractId)
        const values = { sortOrder: order, ...annexColumns(wordings.get(key), kind) }
        const annex = existing.get(key)
        existing.delete(key)
        if (annex) kept.push(annex.merge(values))
        else added.push({ itemId: item.id, systemId: system.id, contractId, ...values })
      }
      const removed = [...existing.values()]
      const updated = await RowBatch.update(CouncilItemAnnex, kept, trx)
      await RowBatch.delete(CouncilItemAnnex, removed, trx)
      await RowBatch.insert(CouncilItemAnnex, added, trx)
      const annexesChanged = updated + removed.length + added.length > 0
      if (annexesChanged) changedFields.push('annexes')
      await this.auditLog.record(
        {
          action: isNew ? 'council_item.create' : 'council_item.update',
          subject: item,
          changedFields,
        },
        trx
      )
    })
    return item
  }
}
