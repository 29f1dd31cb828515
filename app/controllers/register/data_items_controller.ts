import type { HttpContext } from '@adonisjs/core/http'
import PersonalDataSystem from '#models/personal_data_system'
import DataItem from '#models/data_item'
import SystemPolicy from '#policies/register/system_policy'
import SaveDataItem from '#actions/register/save_data_item'
import { dataItemValidator } from '#validators/register/data_items'

export default class DataItemsController {
  async create({ params, view, bouncer }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    return view.render('pages/register/data_items/form', { system, item: null })
  }

  async store({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const input = await request.validateUsing(dataItemValidator)
    const result = await new SaveDataItem().handle(new DataItem(), system.id, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('register.items.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async edit({ params, view, bouncer }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await DataItem.query().where('id', params.id).where('systemId', system.id).firstOrFail()
    return view.render('pages/register/data_items/form', { system, item })
  }

  async update({ params, request, response, bouncer, auth, session, i18n }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await DataItem.query().where('id', params.id).where('systemId', system.id).firstOrFail()
    const input = await request.validateUsing(dataItemValidator)
    const result = await new SaveDataItem().handle(item, system.id, input, auth.use('web').getUserOrFail())
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('register.items.saved'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async destroy({ params, response, bouncer, auth, session, i18n }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const item = await DataItem.query().where('id', params.id).where('systemId', system.id).firstOrFail()
    const result = await new SaveDataItem().remove(item, auth.use('web').getUserOrFail())
    if (!result.ok) {
      const contracts = result.contracts
        .map((use) => i18n.t(use.subcontract ? 'data_items.bulk.subcontract_label' : 'data_items.bulk.contract_label', { title: use.title }))
        .join('、')
      session.flash('errors', { remove: [i18n.t('data_items.bulk.used_by_contract', { name: item.name, contracts })] })
      return response.redirect().toRoute('data_items.edit', { systemId: system.id, id: item.id })
    }
    session.flash('success', i18n.t('register.items.deleted'))
    return response.redirect().toRoute('systems.show', { id: system.id })
  }

  async #editableSystem(systemId: number, bouncer: HttpContext['bouncer']) {
    const system = await PersonalDataSystem.query().where('id', systemId).preload('subjectGroups').firstOrFail()
    await bouncer.with(SystemPolicy).authorize('update', system)
    return system
  }
}
