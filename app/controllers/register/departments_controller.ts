import type { HttpContext } from '@adonisjs/core/http'
import Department from '#models/department'
import DepartmentPolicy from '#policies/admin/department_policy'
import RegisterScope from '#builders/register_scope'
import DepartmentQueries from '#services/register/department_queries'

export default class DepartmentsController {
  /** The organisation tree, limited to what the user may see. */
  async index({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('viewAny')
    const scope = await RegisterScope.for(auth.use('web').getUserOrFail())
    return view.render('pages/register/departments/index', { tree: await scope.departments() })
  }

  /** A department and its members; other departments are refused (403). */
  async show({ params, view, bouncer, auditLog }: HttpContext) {
    const department = await Department.findOrFail(params.id)
    await bouncer.with(DepartmentPolicy).authorize('view', department)
    const page = await DepartmentQueries.forShow(department)
    await auditLog.record({ action: 'department.view', subject: department })
    return view.render('pages/register/departments/show', page)
  }
}
