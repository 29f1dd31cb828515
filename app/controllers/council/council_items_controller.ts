import type { HttpContext } from '@adonisjs/core/http'
import CouncilItem from '#models/council_item'
import CouncilMeeting from '#models/council_meeting'
import PersonalDataSystem from '#models/personal_data_system'
import CouncilItemPolicy from '#policies/council/council_item_policy'
import SystemPolicy from '#policies/register/system_policy'
import SaveCouncilItem from '#actions/council/save_council_item'
import AdvanceCouncilItem, { type AdvanceResult } from '#actions/council/advance_council_item'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import AuditLogger from '#services/audit_logger'
import CouncilItemForm from '#services/council/council_item_form'
import CouncilNextStep from '#services/council/council_next_step'
import SeparationOfDuties from '#services/separation_of_duties'
import { councilDecisionValidator, councilItemValidator, councilScheduleValidator } from '#validators/council/council'

export default class CouncilItemsController {
  /** New item for a system; `?change=1` drafts a change item (変更) after an approval. */
  async create({ request, response, view, bouncer, session, i18n }: HttpContext) {
    // Started from /council without choosing a system: back there with the message on the choice.
    const systemId = Number(request.input('systemId'))
    if (!Number.isInteger(systemId) || systemId <= 0) {
      session.flash('errors', { systemId: [i18n.t('council.items.choose_system')] })
      return response.redirect().toRoute('council.dashboard')
    }
    const system = await this.#system(systemId, bouncer)
    const change = request.input('change') === '1'
    const suggestion = {
      subject: change ? i18n.t('council.items.change_subject', { name: system.name }) : system.name,
      consultationArticles: '◇第16条第1項本文（電子計算機による個人情報の処理開発、変更）',
      reportArticles: system.contracts.length ? '◇第14条第1項（業務委託）' : '',
    }
    const form = await CouncilItemForm.build(system, null, i18n.t('register.contracts.subcontract'), i18n.t('register.contracts.undecided'), {
      first: i18n.t('council.items.extra_first'),
      last: i18n.t('council.items.extra_last'),
    })
    return view.render('pages/council/items/form', { system, item: null, suggestion, form })
  }

  async store({ request, response, bouncer, session, i18n, auth }: HttpContext) {
    const input = await request.validateUsing(councilItemValidator)
    const system = await this.#system(input.systemId, bouncer)
    const result = await new SaveCouncilItem().handle(new CouncilItem(), system, input, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t('council.items.saved'))
    return response.redirect().toRoute('council_items.show', { id: result.item.id })
  }

  async show({ params, view, bouncer }: HttpContext) {
    const item = await this.#item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('view', item)
    const meetings = await CouncilMeeting.query().orderBy('fiscalYear', 'desc').orderBy('number', 'desc')
    return view.render('pages/council/items/show', {
      item,
      meetings,
      nextStep: await CouncilNextStep.of(item),
      templateRows: await CouncilItemForm.templateRows(),
    })
  }

  async edit({ params, view, bouncer, i18n }: HttpContext) {
    const item = await this.#item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('update', item)
    const system = await this.#system(item.annexes[0].systemId, bouncer)
    const form = await CouncilItemForm.build(system, item, i18n.t('register.contracts.subcontract'), i18n.t('register.contracts.undecided'), {
      first: i18n.t('council.items.extra_first'),
      last: i18n.t('council.items.extra_last'),
    })
    return view.render('pages/council/items/form', { system, item, suggestion: null, form })
  }

  async update({ params, request, response, bouncer, session, i18n, auth }: HttpContext) {
    const item = await this.#item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('update', item)
    const input = await request.validateUsing(councilItemValidator)
    const system = await this.#system(item.annexes[0].systemId, bouncer)
    const result = await new SaveCouncilItem().handle(item, system, { ...input, systemId: system.id }, auth.use('web').getUserOrFail())
    if (!result.ok) return this.#back({ response, session, i18n }, result.field, result.message)
    session.flash('success', i18n.t('council.items.saved'))
    return response.redirect().toRoute('council_items.show', { id: item.id })
  }

  async approve({ params, response, bouncer, auth, session, i18n }: HttpContext) {
    const item = await this.#item(params.id)
    // Separation of duties first: the drafter is told why, not just "no permission".
    SeparationOfDuties.refuseOwnWork(auth.use('web').getUserOrFail(), item)
    await bouncer.with(CouncilItemPolicy).authorize('approve', item)
    const result = await new AdvanceCouncilItem().approve(item, auth.use('web').getUserOrFail())
    return this.#afterStep(item, result, response, session, i18n, 'council.items.approved')
  }

  async submit({ params, response, bouncer, session, i18n }: HttpContext) {
    const item = await this.#item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('submit', item)
    const result = await new AdvanceCouncilItem().submit(item)
    return this.#afterStep(item, result, response, session, i18n, 'council.items.submitted')
  }

  async schedule({ params, request, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const item = await this.#item(params.id)
    const input = await request.validateUsing(councilScheduleValidator)
    const result = await new AdvanceCouncilItem().schedule(item, input)
    return this.#afterStep(item, result, response, session, i18n, 'council.items.scheduled')
  }

  async decide({ params, request, response, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(CouncilItemPolicy).authorize('manageCouncil')
    const item = await this.#item(params.id)
    const input = await request.validateUsing(councilDecisionValidator)
    const result = await new AdvanceCouncilItem().decide(item, input)
    if (!result.ok && result.field) return this.#back({ response, session, i18n }, result.field, result.message, result.params)
    return this.#afterStep(item, result, response, session, i18n, 'council.items.decided')
  }

  /** The item's document as an A4 PDF: as decided once decided, else from the live register. */
  async document({ params, response, bouncer }: HttpContext) {
    const item = await this.#item(params.id)
    await bouncer.with(CouncilItemPolicy).authorize('view', item)
    const data = item.frozenDocument ?? (await CouncilDocumentBuilder.build(item.id))
    const pdf = await PdfRenderer.render(CouncilDocument.definition(data))
    await AuditLogger.record({ action: 'council_item.document', subject: item })
    response.header('content-type', 'application/pdf')
    response.header('content-disposition', `inline; filename="council-item-${item.id}.pdf"`)
    return response.send(pdf)
  }

  async #item(id: number) {
    return CouncilItem.query()
      .where('id', id)
      .preload('meeting')
      .preload('department')
      .preload('approvedBy')
      .preload('annexes', (annexes) => annexes.orderBy('sortOrder').preload('system').preload('contract', (c) => c.preload('contractor')))
      .firstOrFail()
  }

  /** The system an item is about; drafting needs the right to draft for its department. */
  async #system(systemId: number, bouncer: HttpContext['bouncer']) {
    const system = await PersonalDataSystem.query()
      .where('id', systemId || 0)
      .preload('contracts', (contracts) => contracts.preload('contractor').orderBy('id'))
      .firstOrFail()
    await bouncer.with(SystemPolicy).authorize('view', system)
    await bouncer.with(CouncilItemPolicy).authorize('draftFor', system.departmentId)
    return system
  }

  /** Back to the form with a message on one field; the input is kept. */
  #back(ctx: Pick<HttpContext, 'response' | 'session' | 'i18n'>, field: string, message: string, params?: Record<string, string>) {
    ctx.session.flashAll()
    ctx.session.flash('errors', { [field]: [ctx.i18n.t(message, params)] })
    return ctx.response.redirect().back()
  }

  #afterStep(
    item: CouncilItem,
    result: AdvanceResult,
    response: HttpContext['response'],
    session: HttpContext['session'],
    i18n: HttpContext['i18n'],
    success: string
  ) {
    session.flash(result.ok ? 'success' : 'stepError', i18n.t(result.ok ? success : result.message, result.ok ? undefined : result.params))
    return response.redirect().toRoute('council_items.show', { id: item.id })
  }
}

