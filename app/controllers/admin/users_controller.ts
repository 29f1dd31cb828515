import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import Department from '#models/department'
import Contractor from '#models/contractor'
import UserPolicy from '#policies/admin/user_policy'
import SaveUser from '#actions/admin/save_user'
import { createUserValidator, updateUserValidator } from '#validators/admin/user'

export default class UsersController {
  async index({ view, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const users = await User.query().preload('department').preload('contractor').orderBy('role').orderBy('email')
    return view.render('pages/admin/users/index', { users })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    return view.render('pages/admin/users/form', { user: null, ...(await this.#choices()) })
  }

  async store({ request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const payload = await request.validateUsing(createUserValidator)
    const result = await new SaveUser().handle(new User(), payload)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('messages.admin.user_saved'))
    return response.redirect().toRoute('admin.users.index')
  }

  async edit({ params, view, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const user = await User.findOrFail(params.id)
    return view.render('pages/admin/users/form', { user, ...(await this.#choices()) })
  }

  async update({ params, request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const user = await User.findOrFail(params.id)
    const payload = await request.validateUsing(updateUserValidator, { meta: { userId: user.id } })
    const result = await new SaveUser().handle(user, { ...payload, isActive: payload.isActive ?? false })
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('messages.admin.user_saved'))
    return response.redirect().toRoute('admin.users.index')
  }

  async #choices() {
    return {
      departments: await Department.asTree(),
      contractors: await Contractor.query().orderBy('name'),
    }
  }
}
