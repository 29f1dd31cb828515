import type { HttpContext } from '@adonisjs/core/http'
import DepartmentScope from '#builders/department_scope'
import CannedText from '#models/canned_text'
import DomainError from '#exceptions/domain_error'
import CannedTextPolicy from '#policies/opinions/canned_text_policy'
import SaveCannedText from '#actions/opinions/save_canned_text'
import CannedTextQueries from '#services/opinions/canned_text_queries'
import { filledQueryString } from '#validators/query_string'
import { cannedTextFilterValidator, cannedTextValidator } from '#validators/opinions/canned_text'

/** 定型文: the canned reply texts of the user's departments (all for the privacy office). */
export default class CannedTextsController {
  async index({ request, view, auth, bouncer }: HttpContext) {
    await bouncer.with(CannedTextPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const scope = await DepartmentScope.for(user)
    const filters = await request.validateUsing(cannedTextFilterValidator, {
      data: filledQueryString(request.qs()),
    })
    return view.render('pages/opinions/canned_texts/index', {
      texts: await CannedTextQueries.list(scope, filters),
      filters,
      departments: await CannedTextQueries.departments(scope, user),
    })
  }

  async create({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(CannedTextPolicy).authorize('create')
    const user = auth.use('web').getUserOrFail()
    return view.render('pages/opinions/canned_texts/form', {
      text: null,
      defaultDepartmentId: user.departmentId,
      departments: await CannedTextQueries.departments(await DepartmentScope.for(user), user),
    })
  }

  async store({ request, response, auth, bouncer, session, i18n, auditLog }: HttpContext) {
    await bouncer.with(CannedTextPolicy).authorize('create')
    const input = await request.validateUsing(cannedTextValidator)
    await this.#checkDepartment(bouncer, input.departmentId)
    await new SaveCannedText(auditLog).handle(
      new CannedText(),
      input,
      auth.use('web').getUserOrFail()
    )
    session.flash('success', i18n.t('canned_texts.flash.saved'))
    return response.redirect().toRoute('canned_texts.index')
  }

  async edit({ params, view, auth, bouncer }: HttpContext) {
    const text = await CannedTextQueries.find(params.id)
    await bouncer.with(CannedTextPolicy).authorize('update', text)
    const user = auth.use('web').getUserOrFail()
    const scope = await DepartmentScope.for(user)
    return view.render('pages/opinions/canned_texts/form', {
      text,
      departments: await CannedTextQueries.departments(scope, user),
    })
  }

  async update({ params, request, response, auth, bouncer, session, i18n, auditLog }: HttpContext) {
    const text = await CannedTextQueries.find(params.id)
    await bouncer.with(CannedTextPolicy).authorize('update', text)
    const input = await request.validateUsing(cannedTextValidator)
    if (input.departmentId !== text.departmentId) {
      await this.#checkDepartment(bouncer, input.departmentId)
    }
    await new SaveCannedText(auditLog).handle(text, input, auth.use('web').getUserOrFail())
    session.flash('success', i18n.t('canned_texts.flash.saved'))
    return response.redirect().toRoute('canned_texts.index')
  }

  async destroy({ params, response, bouncer, session, i18n, auditLog }: HttpContext) {
    const text = await CannedTextQueries.find(params.id)
    await bouncer.with(CannedTextPolicy).authorize('delete', text)
    await new SaveCannedText(auditLog).remove(text)
    session.flash('success', i18n.t('canned_texts.flash.deleted', { title: text.title }))
    return response.redirect().toRoute('canned_texts.index')
  }

  /** A department outside the user's own is refused on the field, with the input kept. */
  async #checkDepartment(bouncer: HttpContext['bouncer'], departmentId: number) {
    if (await bouncer.with(CannedTextPolicy).denies('createFor', departmentId)) {
      throw new DomainError('canned_texts.errors.department', { field: 'departmentId' })
    }
  }
}
