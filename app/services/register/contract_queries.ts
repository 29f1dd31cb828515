import type { ReadOnlyValuesStore } from '@adonisjs/session'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import PersonalDataSystem from '#models/personal_data_system'
import SpecialTermSet from '#models/special_term_set'
import User from '#models/user'
import type RegisterScope from '#builders/register_scope'
import SaveContract from '#actions/register/save_contract'
import SubcontractRules from '#services/register/clause_rules'
import { contractItemTable } from '#services/register/contract_item_table'
import ContractWording from '#services/register/contract_wording'

/** The reads of the contract pages: lists, one contract with what its page shows, the form's choices. */
export default class ContractQueries {
  /** Contracts the scope allows (a contractor user: only its own), searched by title or contractor. */
  static async list(scope: RegisterScope, search: string) {
    const q = search.trim().slice(0, 100)
    const contracts = await scope
      .contracts()
      .if(q, (query) =>
        query.where((inner) =>
          inner
            .where('title', 'like', `%${q}%`)
            .orWhereIn('contractorId', (sub) =>
              sub.from('contractors').select('id').where('name', 'like', `%${q}%`)
            )
        )
      )
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .orderBy('systemId')
      .orderBy('id')
    return { contracts, q }
  }

  /** A contract with its system (and department) and its parent (and contractor). */
  static async find(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('system', (system) => system.preload('department'))
      .preload('parent', (parent) => parent.preload('contractor'))
      .firstOrFail()
  }

  /** The system a new contract belongs to, and its parent contract for a subcontract. */
  static async target(systemId: number, parentId: unknown) {
    const system = await PersonalDataSystem.findOrFail(systemId)
    const parent = parentId
      ? await Contract.query()
          .where('id', Number(parentId))
          .where('systemId', system.id)
          .preload('contractor')
          .firstOrFail()
      : null
    return { system, parent }
  }

  /** A contract found by `find` with its items as stored (the form's item tables). */
  static async forEdit(contract: Contract) {
    await contract.load('itemLinks')
    return contract
  }

  /** What the contract's page shows: items, measures, special terms, subcontracts, duties and their wording. */
  static async forShow(contract: Contract) {
    await contract.load((loader) => {
      loader
        .load('contractor')
        .load('specialTermSet', (set) => set.preload('clauses'))
        .load('itemLinks', (links) => links.preload('dataItem').orderBy('sortOrder').orderBy('id'))
        .load('subcontracts', (subcontracts) => subcontracts.preload('contractor'))
        .load('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
    })
    // The waive check reads the duty's contract (and its system).
    for (const duty of contract.duties) duty.$setRelated('contract', contract)
    // A subcontract: the rules of its parent's special terms (shown with the approval form).
    const parentRules = contract.parent?.specialTermSetId
      ? SubcontractRules.ruling(await SaveContract.ruleClauses(contract.parent.specialTermSetId))
      : []
    const approvalRecorder = contract.approvedByUserId
      ? await User.find(contract.approvedByUserId)
      : null
    const wording = {
      contractor: ContractWording.contractor(contract),
      parentContractor: contract.parent ? ContractWording.contractor(contract.parent) : null,
      items: Object.fromEntries(
        (['provided', 'collected'] as const).map((direction) => [
          direction,
          ContractWording.itemLines(contract.itemLinks, direction, contract.itemsLayout),
        ])
      ),
      media: ContractWording.media(contract),
      period: ContractWording.period(contract),
    }
    return {
      contract,
      wording,
      parentRules: SubcontractRules.described(parentRules),
      writtenApprovalRule: SubcontractRules.writtenApprovalClause(parentRules),
      approvalRecorder,
    }
  }

  /** Contractors, term sets, and the two item tables (as posted after a refused save). */
  static async choices(
    system: PersonalDataSystem,
    parent: Contract | null,
    contract: Contract | null,
    flashed: ReadOnlyValuesStore
  ) {
    await system.load('dataItems', (items) => items.orderBy('sortOrder').orderBy('id'))
    const links = contract?.itemLinks ?? []
    return {
      itemTables: {
        provided: contractItemTable(
          system.dataItems,
          links,
          'provided',
          flashed.get('providedItems')
        ),
        collected: contractItemTable(
          system.dataItems,
          links,
          'collected',
          flashed.get('collectedItems')
        ),
      },
      contractors: await Contractor.query().orderBy('name'),
      // A subcontract: the rules its parent's special terms create, shown before it is saved.
      parentRules: parent?.specialTermSetId
        ? SubcontractRules.described(await SaveContract.ruleClauses(parent.specialTermSetId))
        : [],
      termSets: await SpecialTermSet.query()
        .if(parent !== null, (query) =>
          query.orderByRaw(`case when applies_to = 'subcontractor' then 0 else 1 end`)
        )
        .orderBy('code')
        .orderBy('version', 'desc'),
    }
  }
}
