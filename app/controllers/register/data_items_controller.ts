import type { HttpContext } from '@adonisjs/core/http'
import DataItem from '#models/data_item'
import SystemPolicy from '#policies/register/system_policy'
import SaveDataItem from '#actions/register/save_data_item'
import SystemQueries from '#services/register/system_queries'
import { dataItemValidator } from '#validators/register/data_items'

/** One data item of a system. Refusals (DomainError) go back to the form by the one handler. */
export default class DataItemsController {
  async create({ params, view, bouncer }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    return view.render('pages/register/data_items/form', { system, item: null })
  }

  async store({ params, request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const input = await request.validateUsing(dataItemValidator)
    await new SaveDataItem(auditLog).handle(
      new DataItem(),
      system.id,
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('register.items.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await SystemQueries.dataItem(system, params.id)
    return view.render('pages/register/data_items/form', { system, item })
  }

  async update({ params, request, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await SystemQueries.dataItem(system, params.id)
    const input = await request.validateUsing(dataItemValidator)
    await new SaveDataItem(auditLog).handle(item, system.id, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.items.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async destroy({ params, response, bouncer, auth, session, i18n, auditLog }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await SystemQueries.dataItem(system, params.id)
    await new SaveDataItem(auditLog).remove(item, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('register.items.deleted'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async #editableSystem(systemId: number, bouncer: HttpContext['bouncer']) {
    const system = await SystemQueries.withSubjectGroups(systemId)
    await bouncer.with(SystemPolicy).authorize('update', system)
    return system
  }
}
