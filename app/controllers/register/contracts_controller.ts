import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { ReadOnlyValuesStore } from '@adonisjs/session'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import Contractor from '#models/contractor'
import SpecialTermSet from '#models/special_term_set'
import ContractPolicy from '#policies/register/contract_policy'
import SystemPolicy from '#policies/register/system_policy'
import SaveContract, { type ContractInput, type SaveContractRefusal } from '#actions/register/save_contract'
import ApproveSubcontract from '#actions/register/approve_subcontract'
import EndContract from '#actions/register/end_contract'
import SubcontractRules from '#services/register/clause_rules'
import { contractEndValidator } from '#validators/register/contract_end'
import User from '#models/user'
import AuditLogger from '#services/audit_logger'
import { contractItemTable } from '#services/register/contract_item_table'
import ContractWording from '#services/register/contract_wording'
import { subcontractApprovalValidator } from '#validators/register/register'
import { contractValidator } from '#validators/register/contracts'

/** Validation messages by field path (e.g. collectedItems.3.order). */
type FieldErrors = Record<string, string[]>

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
    return view.render('pages/register/contracts/index', { contracts, q })
  }

  async create({ params, request, view, bouncer, session }: HttpContext) {
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    return view.render('pages/register/contracts/form', {
      system,
      parent,
      contract: null,
      ...(await this.#choices(system, parent, null, session.flashMessages)),
    })
  }

  async store(ctx: HttpContext) {
    const { params, request, response, bouncer, auth, session, i18n } = ctx
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    const input = await this.#validate(ctx)
    if (!input.ok) return this.#refused(ctx, system, parent, null, input.errors)
    const result = await new SaveContract().handle(new Contract(), system.id, parent, input.value, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#refused(ctx, system, parent, null, { [result.field]: [this.#message(i18n, result)] })
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
        .load('itemLinks', (links) => links.preload('dataItem').orderBy('sortOrder').orderBy('id'))
        .load('subcontracts', (subcontracts) => subcontracts.preload('contractor'))
        .load('duties', (duties) => duties.orderBy('dueOn').orderBy('kind'))
    })
    // The waive check reads the duty's contract (and its system).
    for (const duty of contract.duties) duty.$setRelated('contract', contract)
    await AuditLogger.record({ action: 'contract.view', subject: contract })
    // A subcontract: the rules of its parent's special terms (shown with the approval form).
    const parentRules = contract.parent?.specialTermSetId ? SubcontractRules.ruling(await SaveContract.ruleClauses(contract.parent.specialTermSetId)) : []
    const approvalRecorder = contract.approvedByUserId ? await User.find(contract.approvedByUserId) : null
    const wording = {
      contractor: ContractWording.contractor(contract),
      parentContractor: contract.parent ? ContractWording.contractor(contract.parent) : null,
      items: Object.fromEntries(
        (['provided', 'collected'] as const).map((direction) => [direction, ContractWording.itemLines(contract.itemLinks, direction, contract.itemsLayout)])
      ),
      media: ContractWording.media(contract),
      period: ContractWording.period(contract),
    }
    return view.render('pages/register/contracts/show', {
      contract,
      wording,
      parentRules: SubcontractRules.described(parentRules),
      writtenApprovalRule: SubcontractRules.writtenApprovalClause(parentRules),
      approvalRecorder,
    })
  }

  async edit({ params, view, bouncer, session }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    await contract.load('itemLinks')
    return view.render('pages/register/contracts/form', {
      system: contract.system,
      parent: contract.parent ?? null,
      contract,
      ...(await this.#choices(contract.system, contract.parent ?? null, contract, session.flashMessages)),
    })
  }

  async update(ctx: HttpContext) {
    const { params, response, bouncer, auth, session, i18n } = ctx
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    const parent = contract.parent ?? null
    await contract.load('itemLinks')
    const input = await this.#validate(ctx)
    if (!input.ok) return this.#refused(ctx, contract.system, parent, contract, input.errors)
    const result = await new SaveContract().handle(contract, contract.systemId, parent, input.value, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#refused(ctx, contract.system, parent, contract, { [result.field]: [this.#message(i18n, result)] })
    session.flash('success', i18n.t('register.contracts.saved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /**
   * The ward's approval of a subcontract. One the parent's special terms do not allow is
   * refused with the clause quoted, on the approval form with everything as typed.
   */
  async approve({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('approve', contract)
    const approval = await request.validateUsing(subcontractApprovalValidator)
    const result = await new ApproveSubcontract().handle(contract, approval, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashExcept(['_csrf'])
      session.flash('errors', { [result.field]: [this.#message(i18n, result)] })
      return response.redirect().toRoute('contracts.show', { id: contract.id })
    }
    session.flash('success', i18n.t('register.contracts.approved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /** The end of a contract's work: a period not renewed, or a termination. */
  async end({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const contract = await this.#load(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    const input = await request.validateUsing(contractEndValidator)
    const result = await new EndContract().handle(contract, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashExcept(['_csrf'])
      session.flash('errors', { [result.field]: [this.#message(i18n, result)] })
      return response.redirect().toRoute('contracts.show', { id: contract.id })
    }
    session.flash('success', i18n.t('register.contracts.end.done'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /** A refusal's message in the user's language (with a subcontract's breach inside, for its parent). */
  #message(i18n: HttpContext['i18n'], refusal: SaveContractRefusal): string {
    const detail = refusal.detail ? i18n.t(refusal.detail.message, refusal.detail.values) : undefined
    return i18n.t(refusal.message, { ...(refusal.values ?? {}), ...(detail !== undefined ? { message: detail } : {}) })
  }

  /** The form validated; Japanese messages by field path when refused. */
  async #validate({ request }: HttpContext): Promise<{ ok: true; value: ContractInput } | { ok: false; errors: FieldErrors }> {
    try {
      const value = await request.validateUsing(contractValidator)
      // The form's 個人情報を取り扱う box sends nothing when unticked: the form marks that it
      // showed the box, so an unticked box is "no personal data" (not the default, yes).
      if (value.handlesPersonalData === undefined && request.input('handlesPersonalDataShown')) value.handlesPersonalData = false
      return { ok: true, value }
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      const errors: FieldErrors = {}
      for (const { field, message } of error.messages as Array<{ field: string; message: string }>) {
        errors[field] = [...(errors[field] ?? []), message]
      }
      return { ok: false, errors }
    }
  }

  /**
   * A refused save renders the form again at once (422) with everything as
   * typed and the errors on their fields, instead of a redirect: a contract
   * with its item tables and texts does not fit in a flash message of the
   * cookie session (4 KB), which the browser would drop with all the input.
   */
  async #refused(
    { request, response, view }: HttpContext,
    system: PersonalDataSystem,
    parent: Contract | null,
    contract: Contract | null,
    errors: FieldErrors
  ) {
    const { _csrf, _method, ...typed } = request.original()
    const posted = new ReadOnlyValuesStore({ ...typed, errors, inputErrorsBag: errors })
    view.share({ flashMessages: posted, old: (key: string, defaultValue?: unknown) => posted.get(key, defaultValue) })
    response.status(422)
    return view.render('pages/register/contracts/form', {
      system,
      parent,
      contract,
      refused: true,
      ...(await this.#choices(system, parent, contract, posted)),
    })
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
    const parent = parentId ? await Contract.query().where('id', Number(parentId)).where('systemId', system.id).preload('contractor').firstOrFail() : null
    return { system, parent }
  }

  /** Contractors, term sets, and the two item tables (as posted after a refused save). */
  async #choices(system: PersonalDataSystem, parent: Contract | null, contract: Contract | null, flashed: ReadOnlyValuesStore) {
    await system.load('dataItems', (items) => items.orderBy('sortOrder').orderBy('id'))
    const links = contract?.itemLinks ?? []
    return {
      itemTables: {
        provided: contractItemTable(system.dataItems, links, 'provided', flashed.get('providedItems')),
        collected: contractItemTable(system.dataItems, links, 'collected', flashed.get('collectedItems')),
      },
      contractors: await Contractor.query().orderBy('name'),
      // A subcontract: the rules its parent's special terms create, shown before it is saved.
      parentRules: parent?.specialTermSetId ? SubcontractRules.described(await SaveContract.ruleClauses(parent.specialTermSetId)) : [],
      termSets: await SpecialTermSet.query()
        .if(parent !== null, (query) => query.orderByRaw(`case when applies_to = 'subcontractor' then 0 else 1 end`))
        .orderBy('code')
        .orderBy('version', 'desc'),
    }
  }
}
