import type { HttpContext } from '@adonisjs/core/http'
import AdminScope from '#builders/admin_scope'
import Department from '#models/department'
import DepartmentPolicy from '#policies/admin/department_policy'
import SaveDepartment from '#actions/admin/save_department'
import { createDepartmentValidator, updateDepartmentValidator } from '#validators/admin/department'

export default class DepartmentsController {
  async create({ view, auth, bouncer }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const tree = await AdminScope.for(auth.use('web').getUserOrFail()).departmentTree()
    return view.render('pages/admin/departments/form', { department: null, tree })
  }

  async store({ request, response, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const payload = await request.validateUsing(createDepartmentValidator)
    await new SaveDepartment(auditLog).handle(new Department(), payload)
    session.flash('success', i18n.t('admin.flash.department_saved'))
    return response.redirect().toRoute('departments.index')
  }

  async edit({ params, view, auth, bouncer }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const scope = AdminScope.for(auth.use('web').getUserOrFail())
    const department = await scope.department(params.id)
    return view.render('pages/admin/departments/form', {
      department,
      tree: await scope.departmentTree(),
    })
  }

  async update({ params, request, response, auth, session, bouncer, i18n, auditLog }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('manage')
    const department = await AdminScope.for(auth.use('web').getUserOrFail()).department(params.id)
    const payload = await request.validateUsing(updateDepartmentValidator, {
      meta: { departmentId: department.id },
    })
    await new SaveDepartment(auditLog).handle(department, payload)
    session.flash('success', i18n.t('admin.flash.department_saved'))
    return response.redirect().toRoute('departments.index')
  }
}
