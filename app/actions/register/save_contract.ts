import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import DataItem from '#models/data_item'
import SystemSnapshots from '#services/system_snapshot'
import DutyLedger from '#services/duty_ledger'
import AuditLogger from '#services/audit_logger'
import type User from '#models/user'
import type { contractValidator } from '#validators/register'
import type { ContractStatus, ItemDirection } from '#enums/register'

export type ContractInput = Infer<typeof contractValidator>

export type SaveContractResult = { ok: true; contract: Contract } | { ok: false; field: string; message: string }

const toDate = (value: Date | undefined) => (value ? DateTime.fromJSDate(value) : null)

/**
 * Creates or updates a contract of a system, or a subcontract (with a
 * parent contract). A subcontract of a subcontract is refused; a subcontract
 * that handles personal data waits for the ward's approval before it is
 * active.
 */
export default class SaveContract {
  async handle(contract: Contract, systemId: number, parent: Contract | null, input: ContractInput, user: User): Promise<SaveContractResult> {
    if (parent?.parentContractId) {
      return { ok: false, field: 'title', message: 'register.contracts.no_further_subcontract' }
    }
    if (parent && !input.contractorId) {
      return { ok: false, field: 'contractorId', message: 'register.contracts.subcontractor_required' }
    }
    if (!input.contractorId && !input.selectionMethod) {
      return { ok: false, field: 'selectionMethod', message: 'register.contracts.selection_required' }
    }
    const itemIds = [...(input.collectedItemIds ?? []), ...(input.providedItemIds ?? [])]
    if (itemIds.length > 0) {
      const known = await DataItem.query().where('systemId', systemId).whereIn('id', itemIds).select('id')
      if (known.length !== new Set(itemIds).size) {
        return { ok: false, field: 'collectedItemIds', message: 'register.contracts.items_of_other_system' }
      }
    }

    const isNew = !contract.$isPersisted
    const handlesPersonalData = input.handlesPersonalData ?? true
    await db.transaction(async (trx) => {
      contract.useTransaction(trx)
      contract.merge({
        systemId,
        parentContractId: parent?.id ?? null,
        contractorId: input.contractorId ?? null,
        title: input.title,
        selectionMethod: input.selectionMethod ?? null,
        undecidedNote: input.undecidedNote ?? null,
        reason: input.reason,
        tasks: input.tasks ?? [],
        periodType: input.periodType,
        startsOn: toDate(input.startsOn),
        endsOn: input.periodType === 'fixed' ? toDate(input.endsOn) : null,
        periodNote: input.periodNote ?? null,
        media: input.media ?? [],
        wardMeasuresOperational: input.wardMeasuresOperational ?? [],
        wardMeasuresSystem: input.wardMeasuresSystem ?? [],
        contractorMeasuresOperational: input.contractorMeasuresOperational ?? [],
        contractorMeasuresSystem: input.contractorMeasuresSystem ?? [],
        specialTermSetId: input.specialTermSetId ?? null,
        handlesPersonalData,
        reportFrequency: input.reportFrequency ?? null,
        deletionCertificateDays: input.deletionCertificateDays ?? contract.deletionCertificateDays ?? 30,
      })
      contract.status = this.#status(contract)
      const changedFields = Object.keys(contract.$dirty)
      await contract.save()
      if (await this.#syncItems(contract.id, input, trx)) changedFields.push('dataItems')
      await DutyLedger.recompute(contract.id, trx)

      const kind = parent ? '再委託' : '委託'
      await SystemSnapshots.record(systemId, `${kind}の${isNew ? '登録' : '変更'}: ${contract.title}`, user.id, trx)
      await AuditLogger.record(
        { action: `${parent ? 'subcontract' : 'contract'}.${isNew ? 'create' : 'update'}`, subject: contract, changedFields },
        trx
      )
    })
    return { ok: true, contract }
  }

  /** Main contracts are active once a contractor is chosen; subcontracts once approved. */
  #status(contract: Contract): ContractStatus {
    if (contract.status === 'ended') return 'ended'
    if (contract.parentContractId) {
      return contract.handlesPersonalData && !contract.approvedOn ? 'pending_approval' : 'active'
    }
    return contract.contractorId ? 'active' : 'draft'
  }

  async #syncItems(contractId: number, input: ContractInput, trx: any): Promise<boolean> {
    const wanted: Array<[number, ItemDirection]> = [
      ...(input.collectedItemIds ?? []).map((id): [number, ItemDirection] => [id, 'collected']),
      ...(input.providedItemIds ?? []).map((id): [number, ItemDirection] => [id, 'provided']),
    ]
    const existing = await ContractDataItem.query({ client: trx }).where('contractId', contractId)
    const key = (id: number, direction: string) => `${direction}:${id}`
    const wantedKeys = new Set(wanted.map(([id, direction]) => key(id, direction)))
    const existingKeys = new Set(existing.map((link) => key(link.dataItemId, link.direction)))
    const stale = existing.filter((link) => !wantedKeys.has(key(link.dataItemId, link.direction)))
    const fresh = wanted.filter(([id, direction]) => !existingKeys.has(key(id, direction)))
    for (const link of stale) await link.delete()
    for (const [dataItemId, direction] of fresh) {
      await ContractDataItem.create({ contractId, dataItemId, direction }, { client: trx })
    }
    return stale.length + fresh.length > 0
  }
}
