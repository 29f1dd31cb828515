import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CouncilItem from '#models/council_item'
import CouncilItemPolicy from '#policies/council/council_item_policy'
import SystemPolicy from '#policies/register/system_policy'
import SaveCouncilItem from '#actions/council/save_council_item'
import AdvanceCouncilItem from '#actions/council/advance_council_item'
import PrintCouncilDocument from '#actions/council/print_council_document'
import DomainError from '#exceptions/domain_error'
import CouncilItemForm from '#services/council/council_item_form'
import CouncilItemQueries from '#services/council/council_item_queries'
import CouncilNextStep from '#services/council/council_next_step'
import SeparationOfDuties from '#services/separation_of_duties'
import {
  councilDecisionValidator,
  councilItemValidator,
  councilScheduleValidator,
} from '#validators/council/council'

export default class CouncilItemsController {
  /** New item for a system; `?change=1` drafts a change item (変更) after an approval. */
  async create({ request, view, bouncer, i18n, auth }: HttpContext) {
    // Started from /council without choosing a system: back there with the message on the choice.
    const systemId = Number(request.input('systemId'))
    if (!Number.isInteger(systemId) || systemId <= 0) {
      throw new DomainError('council.items.choose_system', {
        field: 'systemId',
        keepInput: false,
        redirectTo: { route: 'council.dashboard' },
      })
    }
    const system = await this.#system(systemId, bouncer)
    const suggestion = CouncilItemForm.suggestion(system, request.input('change') === '1', i18n)
    const form = await CouncilItemForm.build(system, null, i18n, auth.user)
    return view.render('pages/council/items/form', { system, item: null, suggestion, form })
  }

  async store({ request, response, bouncer, session, i18n, auth, auditLog }: HttpContext) {
    const input = await request.validateUsing(councilItemValidator)
    const system = await this.#system(input.systemId, bouncer)
    const item = await new SaveCouncilItem(auditLog).handle(
      new CouncilItem(),
      system,
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('council.items.saved'))
    return response.redirect().toRoute('council_items.show', { id: item.id })
  }

  @inject()
  async show({ params, view, bouncer }: HttpContext, nextStep: CouncilNextStep) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('view', item)
    return view.render('pages/council/items/show', {
      item,
      meetings: await CouncilItemQueries.meetings(),
      nextStep: await nextStep.of(item),
      templateRows: await CouncilItemForm.templateRows(),
    })
  }

  async edit({ params, view, bouncer, i18n, auth }: HttpContext) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('update', item)
    const system = await this.#system(item.annexes[0].systemId, bouncer)
    const form = await CouncilItemForm.build(system, item, i18n, auth.user)
    return view.render('pages/council/items/form', { system, item, suggestion: null, form })
  }

  async update({ params, request, response, bouncer, session, i18n, auth, auditLog }: HttpContext) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('update', item)
    const input = await request.validateUsing(councilItemValidator)
    const system = await this.#system(item.annexes[0].systemId, bouncer)
    await new SaveCouncilItem(auditLog).handle(
      item,
      system,
      { ...input, systemId: system.id },
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('council.items.saved'))
    return response.redirect().toRoute('council_items.show', { id: item.id })
  }

  /** 承認依頼: the drafters put the draft before the department's approvers. */
  @inject()
  async requestApproval(
    { params, response, bouncer, auth, session, i18n }: HttpContext,
    advance: AdvanceCouncilItem
  ) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('requestApproval', item)
    await advance.requestApproval(item, auth.use('web').getUserOrFail())
    return this.#afterStep(item, { response, session, i18n }, 'council.items.approval_requested')
  }

  @inject()
  async approve(
    { params, response, bouncer, auth, session, i18n }: HttpContext,
    advance: AdvanceCouncilItem
  ) {
    const item = await CouncilItemQueries.item(params.id)
    const user = auth.use('web').getUserOrFail()
    // Separation of duties first: the drafter is told why, not just "no permission".
    SeparationOfDuties.refuseOwnWork(user, item)
    await bouncer.with(CouncilItemPolicy).authorize('approve', item)
    await advance.approve(item, user)
    return this.#afterStep(item, { response, session, i18n }, 'council.items.approved')
  }

  @inject()
  async submit(
    { params, response, bouncer, session, i18n }: HttpContext,
    advance: AdvanceCouncilItem
  ) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('submit', item)
    await advance.submit(item)
    return this.#afterStep(item, { response, session, i18n }, 'council.items.submitted')
  }

  @inject()
  async schedule(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    advance: AdvanceCouncilItem
  ) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const item = await CouncilItemQueries.item(params.id)
    const input = await request.validateUsing(councilScheduleValidator)
    await advance.schedule(item, input)
    return this.#afterStep(item, { response, session, i18n }, 'council.items.scheduled')
  }

  @inject()
  async decide(
    { params, request, response, bouncer, session, i18n }: HttpContext,
    advance: AdvanceCouncilItem
  ) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const item = await CouncilItemQueries.item(params.id)
    const input = await request.validateUsing(councilDecisionValidator)
    await advance.decide(item, input)
    return this.#afterStep(item, { response, session, i18n }, 'council.items.decided')
  }

  /**
   * The item's document as an A4 PDF: as decided once decided, else from the live register.
   * One still being made after a second gets a page that says so and reloads itself, instead of
   * a blank tab.
   */
  async document({ params, response, bouncer, view, auditLog }: HttpContext) {
    const item = await CouncilItemQueries.item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('view', item)
    const pdf = await new PrintCouncilDocument(auditLog).handle(item, PrintCouncilDocument.waitMs)
    if (!pdf) {
      response.header('retry-after', '2')
      return response
        .status(202)
        .send(await view.render('pages/council/items/document_pending', { item }))
    }
    response.header('content-type', 'application/pdf')
    response.header('content-disposition', `inline; filename="council-item-${item.id}.pdf"`)
    return response.send(pdf)
  }

  /** The system an item is about; drafting needs the right to draft for its department. */
  async #system(systemId: number, bouncer: HttpContext['bouncer']) {
    const system = await CouncilItemQueries.system(systemId)
    await bouncer.with(SystemPolicy).authorize('view', system)
    await bouncer.with(CouncilItemPolicy).authorize('draftFor', system.departmentId)
    return system
  }

  /** Back to the item with the step's success message. */
  #afterStep(
    item: CouncilItem,
    ctx: Pick<HttpContext, 'response' | 'session' | 'i18n'>,
    success: string
  ) {
    ctx.session.flash('success', ctx.i18n.t(success))
    return ctx.response.redirect().toRoute('council_items.show', { id: item.id })
  }
}
