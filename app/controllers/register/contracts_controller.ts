import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { errors as vineErrors } from '@vinejs/vine'
import { ReadOnlyValuesStore } from '@adonisjs/session'
import type PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import ContractPolicy from '#policies/register/contract_policy'
import SystemPolicy from '#policies/register/system_policy'
import SaveContract, { type ContractInput } from '#actions/register/save_contract'
import ApproveSubcontract from '#actions/register/approve_subcontract'
import EndContract from '#actions/register/end_contract'
import RegisterScope from '#builders/register_scope'
import DomainError from '#exceptions/domain_error'
import ContractQueries from '#services/register/contract_queries'
import { contractEndValidator } from '#validators/register/contract_end'
import { subcontractApprovalValidator } from '#validators/register/register'
import { SUBCONTRACT_LABELS, contractValidator } from '#validators/register/contracts'
import { FormMessagesProvider } from '#validators/form_messages'

/** Validation messages by field path (e.g. collectedItems.3.order). */
type FieldErrors = Record<string, string[]>

export default class ContractsController {
  /** Contracts the user may see: a contractor user sees only its own. */
  async index({ request, view, auth }: HttpContext) {
    const scope = await RegisterScope.for(auth.use('web').getUserOrFail())
    const { contracts, q } = await ContractQueries.list(scope, String(request.input('q') ?? ''))
    return view.render('pages/register/contracts/index', { contracts, q })
  }

  async create({ params, request, view, bouncer, session }: HttpContext) {
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    return view.render('pages/register/contracts/form', {
      system,
      parent,
      contract: null,
      ...(await ContractQueries.choices(system, parent, null, session.flashMessages)),
    })
  }

  async store(ctx: HttpContext) {
    const { params, request, response, bouncer, auth, session, i18n } = ctx
    const { system, parent } = await this.#target(params.systemId, request.input('parent'), bouncer)
    const input = await this.#validate(ctx, parent)
    if (!input.ok) return this.#refused(ctx, system, parent, null, input.errors)
    try {
      const { contract } = await new SaveContract(ctx.auditLog).handle(
        new Contract(),
        system.id,
        parent,
        input.value,
        auth.use('web').getUserOrFail()
      )
      session.flash('success', i18n.t('register.contracts.saved'))
      return response.redirect().toRoute('contracts.show', { id: contract.id })
    } catch (error) {
      return this.#refusedBy(ctx, error, system, parent, null)
    }
  }

  /** A contract with its data items, measures, special terms and subcontracts. */
  async show({ params, view, bouncer, auditLog }: HttpContext) {
    const contract = await ContractQueries.find(params.id)
    await bouncer.with(ContractPolicy).authorize('view', contract)
    const page = await ContractQueries.forShow(contract)
    await auditLog.record({ action: 'contract.view', subject: contract })
    return view.render('pages/register/contracts/show', page)
  }

  async edit({ params, view, bouncer, session }: HttpContext) {
    const contract = await ContractQueries.find(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    await ContractQueries.forEdit(contract)
    return view.render('pages/register/contracts/form', {
      system: contract.system,
      parent: contract.parent ?? null,
      contract,
      ...(await ContractQueries.choices(
        contract.system,
        contract.parent ?? null,
        contract,
        session.flashMessages
      )),
    })
  }

  async update(ctx: HttpContext) {
    const { params, response, bouncer, auth, session, i18n } = ctx
    const contract = await ContractQueries.find(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    const parent = contract.parent ?? null
    await ContractQueries.forEdit(contract)
    const input = await this.#validate(ctx, parent)
    if (!input.ok) return this.#refused(ctx, contract.system, parent, contract, input.errors)
    try {
      await new SaveContract(ctx.auditLog).handle(
        contract,
        contract.systemId,
        parent,
        input.value,
        auth.use('web').getUserOrFail()
      )
    } catch (error) {
      return this.#refusedBy(ctx, error, contract.system, parent, contract)
    }
    session.flash('success', i18n.t('register.contracts.saved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /**
   * The ward's approval of a subcontract. One the parent's special terms do not allow is
   * refused with the clause quoted, on the approval form with everything as typed.
   */
  async approve({
    params,
    request,
    response,
    bouncer,
    auth,
    session,
    i18n,
    auditLog,
  }: HttpContext) {
    const contract = await ContractQueries.find(params.id)
    await bouncer.with(ContractPolicy).authorize('approve', contract)
    const approval = await request.validateUsing(subcontractApprovalValidator)
    await new ApproveSubcontract(auditLog).handle(
      contract,
      approval,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('register.contracts.approved'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /** The end of a contract's work: a period not renewed, or a termination. */
  @inject()
  async end(
    { params, request, response, bouncer, auth, session, i18n }: HttpContext,
    endContract: EndContract
  ) {
    const contract = await ContractQueries.find(params.id)
    await bouncer.with(ContractPolicy).authorize('update', contract)
    const input = await request.validateUsing(contractEndValidator)
    await endContract.handle(contract, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.contracts.end.done'))
    return response.redirect().toRoute('contracts.show', { id: contract.id })
  }

  /**
   * A refusal of the save on the form (HTML), on its field; JSON clients get the
   * one handler's 4xx body. Anything else is no refusal and goes on.
   */
  async #refusedBy(
    ctx: HttpContext,
    error: unknown,
    system: PersonalDataSystem,
    parent: Contract | null,
    contract: Contract | null
  ) {
    if (!(error instanceof DomainError) || ctx.request.accepts(['html', 'json']) !== 'html')
      throw error
    return this.#refused(ctx, system, parent, contract, { [error.field]: [error.translate(ctx)] })
  }

  /** The form validated; Japanese messages by field path (a subcontract's labels for one) when refused. */
  async #validate(
    { request, i18n }: HttpContext,
    parent: Contract | null
  ): Promise<{ ok: true; value: ContractInput } | { ok: false; errors: FieldErrors }> {
    try {
      const value = await request.validateUsing(contractValidator, {
        messagesProvider: new FormMessagesProvider(i18n, parent ? SUBCONTRACT_LABELS : {}),
      })
      // The form's 個人情報を取り扱う box sends nothing when unticked: the form marks that it
      // showed the box, so an unticked box is "no personal data" (not the default, yes).
      if (value.handlesPersonalData === undefined && request.input('handlesPersonalDataShown'))
        value.handlesPersonalData = false
      return { ok: true, value }
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      const errors: FieldErrors = {}
      for (const { field, message } of error.messages as Array<{
        field: string
        message: string
      }>) {
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
    const typed = Object.fromEntries(
      Object.entries(request.original()).filter(([key]) => !['_csrf', '_method'].includes(key))
    )
    const posted = new ReadOnlyValuesStore({ ...typed, errors, inputErrorsBag: errors })
    view.share({
      flashMessages: posted,
      old: (key: string, defaultValue?: unknown) => posted.get(key, defaultValue),
    })
    response.status(422)
    return view.render('pages/register/contracts/form', {
      system,
      parent,
      contract,
      refused: true,
      ...(await ContractQueries.choices(system, parent, contract, posted)),
    })
  }

  /** The system (and parent contract, for a subcontract) a new contract belongs to. */
  async #target(systemId: number, parentId: unknown, bouncer: HttpContext['bouncer']) {
    const target = await ContractQueries.target(systemId, parentId)
    await bouncer.with(SystemPolicy).authorize('update', target.system)
    return target
  }
}
