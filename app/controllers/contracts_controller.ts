import type { HttpContext } from '@adonisjs/core/http'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import SpecialTermSet from '#models/special_term_set'
import ContractPolicy from '#policies/contract_policy'
import SystemPolicy from '#policies/system_policy'
import SaveContract from '#actions/register/save_contract'
import ApproveSubcontract from '#actions/register/approve_subcontract'
import AuditLogger from '#services/audit_logger'
import { contractValidator, subcontractApprovalValidator } from '#validators/register'

export default class ContractsController {
  /** Contracts the user may see: a contractor user sees only its own. */
  async index({ request, view, auth }: HttpContext) {
    const user = auth.use('web').getUserOrFail()
    const visible = await user.visibleDepartmentIds()
    const q = String(request.input('q') ?? '').trim().slice(0, 100)
    const contracts = await Contract.query()
      .if(q, (query) =>
        query.where((inner) =>
          inner
            .where('title', 'like', `%${q}%`)
            .orWhereIn('contractorId', (sub) => sub.from('contractors').select('id').where('name', 'like', `%${q}%`))
        )
      )
      .if(user.isContractorUser, (query) =>
        query.where((inner) =>
          inner
            .where('contractorId', user.contractorId ?? 0)
            .orWhereIn('parentContractId', (sub) => sub.from('contracts').select('id').where('contractor_id', user.contractorId ?? 0))
        )
      )
      .if(!user.isContractorUser && visible !== null, (query) =>
        query.whereIn('systemId', (sub) => sub.from('personal_data_systems').select('id').whereIn('department_id', visible!))
      )
      .preload('system', (system) => system.preload('department'))
      .preload('contractor')
      .orderBy('systemId')
      .orderBy('id')
    return view.render('pages/contracts/index', { contracts, q })
  }

  async create({ params, request, view, bouncer }: HttpContext) {
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    return view.render('pages/contracts/form', { system, parent, contract: null, ...(await this.#choices(system, parent)) })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    const input = await request.validateUsing(contractValidator)
    const result = await new SaveContract().handle(new Contract(), system.id, parent, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('register.contracts.saved'))
    return response.redirect().toRoute('contracts.show', { id: result.contract.id })
  }

  /** A contract with its data items, measures, special terms and subcontracts. */
  async show({ params, view, bouncer }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('view', contract)
    await contract.load((loader) => {
      loader
        .load('contractor')
        .load('specialTermSet', (set) => set.preload('clauses'))
        .load('itemLinks', (links) => links.preload('dataItem'))
        .load('subcontracts', (subcontracts) => subcontracts.preload('contractor'))
        .load('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
    })
    // The waive check reads the duty's contract (and its system).
    for (const duty of contract.duties) duty.$setRelated('contract', contract)
    await AuditLogger.record({ action: 'contract.view', subject: contract })
    return view.render('pages/contracts/show', { contract })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    await contract.load('itemLinks')
    return view.render('pages/contracts/form', {
      system: contract.system,
      parent: contract.parent ?? null,
      contract,
      ...(await this.#choices(contract.system, contract.parent ?? null)),
    })
  }

  async update({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    const input = await request.validateUsing(contractValidator)
    const result = await new SaveContract().handle(contract, contract.systemId, contract.parent ?? null, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('register.contracts.saved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /** The ward's approval of a subcontract. */
  async approve({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('approve', contract)
    const approval = await request.validateUsing(subcontractApprovalValidator)
    await new ApproveSubcontract().handle(contract, approval, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.contracts.approved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  async #load(id: number) {
    return Contract.query()
      .where('id', id)
      .preload('system', (system) => system.preload('department'))
      .preload('parent', (parent) => parent.preload('contractor'))
      .firstOrFail()
  }

  /** The system (and parent contract, for a subcontract) a new contract belongs to. */
  async #target(systemId: number, parentId: unknown, bouncer: HttpContext['bouncer']) {
    const system = await PersonalDataSystem.findOrFail(systemId)
    await bouncer.with(SystemPolicy).authorize('update', system)
    const parent = parentId ? await Contract.query().where('id', Number(parentId)).where('systemId', system.id).firstOrFail() : null
    return { system, parent }
  }

  async #choices(system: PersonalDataSystem, parent: Contract | null) {
    await system.load('dataItems')
    return {
      contractors: await Contractor.query().orderBy('name'),
      termSets: await SpecialTermSet.query()
        .if(parent !== null, (query) => query.orderByRaw(`case when applies_to = 'subcontractor' then 0 else 1 end`))
        .orderBy('code')
        .orderBy('version', 'desc'),
    }
  }
}
