import type { HttpContext } from '@adonisjs/core/http'
import Department from '#models/department'
import DepartmentPolicy from '#policies/admin/department_policy'
import SaveDepartment from '#actions/admin/save_department'
import { createDepartmentValidator, updateDepartmentValidator } from '#validators/admin/department'

export default class DepartmentsController {
  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    return view.render('pages/admin/departments/form', { department: null, tree: await Department.asTree() })
  }

  async store({ request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const payload = await request.validateUsing(createDepartmentValidator)
    const result = await new SaveDepartment().handle(new Department(), payload)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('messages.admin.department_saved'))
    return response.redirect().toRoute('departments.index')
  }

  async edit({ params, view, bouncer }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await Department.findOrFail(params.id)
    return view.render('pages/admin/departments/form', { department, tree: await Department.asTree() })
  }

  async update({ params, request, response, session, bouncer, i18n }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await Department.findOrFail(params.id)
    const payload = await request.validateUsing(updateDepartmentValidator, { meta: { departmentId: department.id } })
    const result = await new SaveDepartment().handle(department, payload)
    if (!result.ok) {
      session.flashAll()
      session.flash('errors', { [result.field]: [i18n.t(result.message)] })
      return response.redirect().back()
    }
    session.flash('success', i18n.t('messages.admin.department_saved'))
    return response.redirect().toRoute('departments.index')
  }
}
