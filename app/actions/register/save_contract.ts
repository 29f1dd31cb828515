import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import DomainError from '#exceptions/domain_error'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Infer } from '@vinejs/vine/types'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import DataItem from '#models/data_item'
import SystemSnapshots from '#services/register/system_snapshot'
import DutyLedger from '#services/oversight/duty_ledger'
import AuditLogger from '#services/audit_logger'
import type User from '#models/user'
import type { contractValidator } from '#validators/register/contracts'
import type { ContractStatus, ItemDirection, RecordMedium } from '#enums/register'
import SpecialTermClause from '#models/special_term_clause'
import SubcontractRules from '#services/register/clause_rules'
import { jaText } from '#services/ja_text'
import RowBatch from '#services/row_batch'

export type ContractInput = Infer<typeof contractValidator>

/** The saved contract. Refusals are thrown (DomainError, on the field they concern). */
export type SaveContractResult = { ok: true; contract: Contract }

/** A ticked item as it will be stored: its place, group heading and note. */
export interface WantedItem {
  dataItemId: number
  direction: ItemDirection
  groupHeading: string | null
  note: string | null
  sortOrder: number
}

/** The form's fields for each direction: the item table, or plain ticks. */
const FIELDS = {
  collected: { rows: 'collectedItems', ticks: 'collectedItemIds' },
  provided: { rows: 'providedItems', ticks: 'providedItemIds' },
} as const

const toDate = (value: Date | undefined) => (value ? DateTime.fromJSDate(value) : null)
const orNull = (value: string | undefined | null) => (value && value.trim() !== '' ? value : null)

/**
 * Creates or updates a contract of a system, or a subcontract (with a
 * parent contract), with its text as written. A subcontract of a subcontract
 * is refused; a subcontract that handles personal data waits for the ward's
 * approval before it is active. The contractor (or subcontractor) may be
 * undecided: then the text printed in its place (or the planned selection
 * method) is required.
 *
 * The parent contract's special terms rule its subcontracts (#services/clause_rules): a
 * subcontract that breaks a clause is refused with the clause quoted, whoever the parties
 * are (an undecided contractor or subcontractor changes nothing), and one the clauses allow
 * only with the ward's consent waits for its approval. A contract whose new terms its
 * existing subcontracts would break is refused too.
 */
@inject()
export default class SaveContract {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    contract: Contract,
    systemId: number,
    parent: Contract | null,
    input: ContractInput,
    user: User
  ): Promise<SaveContractResult> {
    if (parent?.parentContractId) {
      throw new DomainError('register.contracts.no_further_subcontract', { field: 'title' })
    }
    // The parent's special terms first: a subcontract they forbid is refused whatever else is typed.
    const handlesPersonalData = input.handlesPersonalData ?? true
    const parentClauses = parent?.specialTermSetId
      ? await SaveContract.ruleClauses(parent.specialTermSetId)
      : []
    if (parent) {
      const breach = SubcontractRules.onSave(parentClauses, {
        handlesPersonalData,
        startsOn: toDate(input.startsOn),
      })
      if (breach)
        throw new DomainError(breach.message, { field: breach.field, data: breach.values })
    } else if (contract.$isPersisted && input.specialTermSetId) {
      await this.#refuseBreakingSubcontracts(contract, input.specialTermSetId)
    }
    if (!input.contractorId && !orNull(input.undecidedNote) && !input.selectionMethod) {
      throw new DomainError(
        parent
          ? 'register.contracts.sub.selection_required'
          : 'register.contracts.selection_required',
        { field: 'undecidedNote' }
      )
    }
    const items = SaveContract.wantedItems(input)
    const ids = [...new Set(items.map((item) => item.dataItemId))]
    if (ids.length > 0) {
      const known = await DataItem.query()
        .where('systemId', systemId)
        .whereIn('id', ids)
        .select('id')
      if (known.length !== ids.length) {
        const foreign = items.find((item) => !known.some((row) => row.id === item.dataItemId))!
        const fields = FIELDS[foreign.direction]
        const field = input[fields.rows] ? fields.rows : fields.ticks
        throw new DomainError('register.contracts.items_of_other_system', { field })
      }
    }
    const media = input.media ?? []
    const details = Object.entries(input.mediaDetails ?? {}).filter(([, detail]) => orNull(detail))
    if (details.some(([medium]) => !media.includes(medium as RecordMedium))) {
      throw new DomainError('register.contracts.media_detail_unticked', { field: 'media' })
    }

    const isNew = !contract.$isPersisted
    const precision = input.startsOnPrecision ?? 'day'
    const startsOn = toDate(input.startsOn)
    await db.transaction(async (trx) => {
      contract.useTransaction(trx)
      contract.merge({
        systemId,
        parentContractId: parent?.id ?? null,
        contractorId: input.contractorId ?? null,
        title: input.title,
        selectionMethod: input.selectionMethod ?? null,
        undecidedNote: orNull(input.undecidedNote),
        reason: input.reason,
        tasks: input.tasks ?? [],
        subjectsText: orNull(input.subjectsText),
        itemsLayout: input.itemsLayout ?? 'comma',
        itemsNote: orNull(input.itemsNote),
        periodType: input.periodType,
        periodLead: orNull(input.periodLead),
        startsOn: startsOn && precision === 'month' ? startsOn.startOf('month') : startsOn,
        startsOnPrecision: precision,
        endsOn: input.periodType === 'fixed' ? toDate(input.endsOn) : null,
        periodNote: orNull(input.periodNote),
        media,
        mediaDetails: Object.fromEntries(details),
        wardMeasuresOperational: input.wardMeasuresOperational ?? [],
        wardMeasuresSystem: input.wardMeasuresSystem ?? [],
        contractorMeasuresOperational: input.contractorMeasuresOperational ?? [],
        contractorMeasuresSystem: input.contractorMeasuresSystem ?? [],
        specialTermSetId: input.specialTermSetId ?? null,
        handlesPersonalData,
        callCenter: input.callCenter ?? false,
        reportFrequency: input.reportFrequency ?? null,
        deletionCertificateDays:
          input.deletionCertificateDays ?? contract.deletionCertificateDays ?? 30,
      })
      contract.status = this.#status(contract, parentClauses)
      const changedFields = Object.keys(contract.$dirty)
      await contract.save()
      if (await this.#syncItems(contract.id, items, trx)) changedFields.push('dataItems')
      await DutyLedger.recompute(contract.id, this.auditLog, trx)

      const summary = `register.changes.${parent ? 'subcontract' : 'contract'}_${isNew ? 'created' : 'updated'}`
      await SystemSnapshots.record(
        systemId,
        jaText(summary, { title: contract.title }),
        user.id,
        trx
      )
      await this.auditLog.record(
        {
          action: `${parent ? 'subcontract' : 'contract'}.${isNew ? 'create' : 'update'}`,
          subject: contract,
          changedFields,
        },
        trx
      )
    })
    return { ok: true, contract }
  }

  /**
   * The ticked items of both directions in print order. From the item table:
   * ticked rows sorted by the order typed (a row without one keeps its place
   * in the table), with the heading and note as typed. From plain ticks: in
   * the order sent, without headings or notes.
   */
  static wantedItems(input: ContractInput): WantedItem[] {
    const wanted: WantedItem[] = []
    for (const direction of ['collected', 'provided'] as const) {
      const rows = input[FIELDS[direction].rows]
      if (rows) {
        rows
          .map((row, index) => ({ row, index, key: row.order ?? index + 1 }))
          .filter(({ row }) => row.ticked)
          .sort((a, b) => a.key - b.key || a.index - b.index)
          .forEach(({ row }, position) =>
            wanted.push({
              dataItemId: row.dataItemId,
              direction,
              groupHeading: orNull(row.heading),
              note: orNull(row.note),
              sortOrder: position,
            })
          )
      } else {
        ;(input[FIELDS[direction].ticks] ?? []).forEach((dataItemId, position) =>
          wanted.push({
            dataItemId,
            direction,
            groupHeading: null,
            note: null,
            sortOrder: position,
          })
        )
      }
    }
    return wanted
  }

  /**
   * Main contracts are active once a contractor is chosen; subcontracts once approved when
   * they need the ward's approval (personal data, or a clause allowing them only with it).
   */
  #status(contract: Contract, parentClauses: SpecialTermClause[]): ContractStatus {
    if (contract.status === 'ended') return 'ended'
    if (contract.parentContractId) {
      return SubcontractRules.needsApproval(parentClauses, contract.handlesPersonalData) &&
        !contract.approvedOn
        ? 'pending_approval'
        : 'active'
    }
    return contract.contractorId ? 'active' : 'draft'
  }

  /** The clauses of a special-terms set, in order (each with its rule, if any). */
  static async ruleClauses(
    setId: number,
    client?: TransactionClientContract
  ): Promise<SpecialTermClause[]> {
    return SpecialTermClause.query(client ? { client } : undefined)
      .where('setId', setId)
      .orderBy('number')
  }

  /** Refuses the set when its clauses would forbid a subcontract still running (the first one, quoted). */
  async #refuseBreakingSubcontracts(contract: Contract, setId: number): Promise<void> {
    const clauses = await SaveContract.ruleClauses(setId)
    if (SubcontractRules.ruling(clauses).length === 0) return
    const subcontracts = await Contract.query()
      .where('parentContractId', contract.id)
      .whereNot('status', 'ended')
      .orderBy('id')
    for (const subcontract of subcontracts) {
      const breach = SubcontractRules.onSave(clauses, subcontract)
      if (breach) {
        throw new DomainError('register.contracts.rules.parent_breach', {
          field: 'specialTermSetId',
          data: { title: subcontract.title, message: { key: breach.message, data: breach.values } },
        })
      }
    }
  }

  /** Brings the stored links in line with the wanted ones; true when anything changed. */
  async #syncItems(
    contractId: number,
    wanted: WantedItem[],
    trx: TransactionClientContract
  ): Promise<boolean> {
    const existing = await ContractDataItem.query({ client: trx }).where('contractId', contractId)
    const key = (id: number, direction: string) => `${direction}:${id}`
    const byKey = new Map(existing.map((link) => [key(link.dataItemId, link.direction), link]))
    const wantedKeys = new Set(wanted.map((item) => key(item.dataItemId, item.direction)))
    const dropped = existing.filter((link) => !wantedKeys.has(key(link.dataItemId, link.direction)))
    const fresh: WantedItem[] = []
    for (const item of wanted) {
      const link = byKey.get(key(item.dataItemId, item.direction))
      if (link)
        link.merge({ groupHeading: item.groupHeading, note: item.note, sortOrder: item.sortOrder })
      else fresh.push(item)
    }
    await RowBatch.delete(ContractDataItem, dropped, trx)
    const updated = await RowBatch.update(ContractDataItem, existing, trx)
    await RowBatch.insert(
      ContractDataItem,
      fresh.map((item) => ({ contractId, ...item })),
      trx
    )
    return dropped.length + updated + fresh.length > 0
  }
}
