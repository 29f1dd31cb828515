import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import CouncilItem, { type CouncilBasis } from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import Contract from '#models/contract'
import type PersonalDataSystem from '#models/personal_data_system'
import AuditLogger from '#services/audit_logger'
import type { councilItemValidator } from '#validators/council'

export type CouncilItemInput = Infer<typeof councilItemValidator>

export type SaveCouncilItemResult = { ok: true; item: CouncilItem } | { ok: false; field: string; message: string }

/**
 * Creates or edits a draft item for a system: its 件名, the ordinance
 * articles it rests on, the contact, and the annexes (the system itself
 * and/or its contracts). Only drafts can be edited; an edit after the
 * supervisor's approval needs approving again.
 */
export default class SaveCouncilItem {
  async handle(item: CouncilItem, system: PersonalDataSystem, input: CouncilItemInput): Promise<SaveCouncilItemResult> {
    if (item.$isPersisted && item.status !== 'draft') {
      return { ok: false, field: 'subject', message: 'council.items.only_drafts' }
    }
    const basis: CouncilBasis[] = [
      { kind: 'consultation' as const, articles: input.consultationArticles ?? [] },
      { kind: 'report' as const, articles: input.reportArticles ?? [] },
      { kind: 'prior_report' as const, articles: input.priorReportArticles ?? [] },
    ].filter((entry) => entry.articles.length > 0)
    if (basis.length === 0) {
      return { ok: false, field: 'consultationArticles', message: 'council.items.basis_required' }
    }
    const contractIds = input.contractIds ?? []
    const contracts = contractIds.length
      ? await Contract.query().where('systemId', system.id).whereIn('id', contractIds).orderBy('id')
      : []
    if (contracts.length !== contractIds.length) {
      return { ok: false, field: 'contractIds', message: 'council.items.contracts_of_system' }
    }
    if (!input.includeSystem && contracts.length === 0) {
      return { ok: false, field: 'contractIds', message: 'council.items.annex_required' }
    }

    const isNew = !item.$isPersisted
    await db.transaction(async (trx) => {
      item.useTransaction(trx)
      item.merge({
        departmentId: system.departmentId,
        subject: input.subject,
        basis,
        contactSection: input.contactSection ?? null,
        contactPerson: input.contactPerson ?? null,
        contactExtension: input.contactExtension ?? null,
        status: 'draft',
        approvedByUserId: null,
        approvedAt: null,
      })
      const changedFields = Object.keys(item.$dirty)
      await item.save()
      await CouncilItemAnnex.query({ client: trx }).where('itemId', item.id).delete()
      let order = 0
      if (input.includeSystem) {
        await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, sortOrder: order++ }, { client: trx })
      }
      for (const contract of contracts) {
        await CouncilItemAnnex.create({ itemId: item.id, systemId: system.id, contractId: contract.id, sortOrder: order++ }, { client: trx })
      }
      await AuditLogger.record({ action: isNew ? 'council_item.create' : 'council_item.update', subject: item, changedFields }, trx)
    })
    return { ok: true, item }
  }
}
