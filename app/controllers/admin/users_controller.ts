import type { HttpContext } from '@adonisjs/core/http'
import AdminScope from '#builders/admin_scope'
import User from '#models/user'
import UserPolicy from '#policies/admin/user_policy'
import SaveUser from '#actions/admin/save_user'
import { createUserValidator, updateUserValidator } from '#validators/admin/user'

export default class UsersController {
  async index({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const users = await AdminScope.for(auth.use('web').getUserOrFail()).users()
    return view.render('pages/admin/users/index', { users })
  }

  async create({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const choices = await AdminScope.for(auth.use('web').getUserOrFail()).userChoices()
    return view.render('pages/admin/users/form', { user: null, ...choices })
  }

  async store({ request, response, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const payload = await request.validateUsing(createUserValidator)
    await new SaveUser(auditLog).handle(new User(), payload, session)
    session.flash('success', i18n.t('admin.flash.user_saved'))
    return response.redirect().toRoute('admin.users.index')
  }

  async edit({ params, view, auth, bouncer }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const scope = AdminScope.for(auth.use('web').getUserOrFail())
    const user = await scope.account(params.id)
    return view.render('pages/admin/users/form', { user, ...(await scope.userChoices()) })
  }

  async update({ params, request, response, auth, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(UserPolicy).authorize('manage')
    const user = await AdminScope.for(auth.use('web').getUserOrFail()).account(params.id)
    const payload = await request.validateUsing(updateUserValidator, { meta: { userId: user.id } })
    await new SaveUser(auditLog).handle(
      user,
      { ...payload, isActive: payload.isActive ?? false },
      session
    )
    session.flash('success', i18n.t('admin.flash.user_saved'))
    return response.redirect().toRoute('admin.users.index')
  }
}
