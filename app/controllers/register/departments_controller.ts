import type { HttpContext } from '@adonisjs/core/http'
import Department from '#models/department'
import User from '#models/user'
import DepartmentPolicy from '#policies/admin/department_policy'
import AuditLogger from '#services/audit_logger'

export default class DepartmentsController {
  /** The organisation tree, limited to what the user may see. */
  async index({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(DepartmentPolicy).authorize('viewAny')
    const user = auth.use('web').getUserOrFail()
    const visible = await user.visibleDepartmentIds()
    const tree = (await Department.asTree()).filter(
      ({ department }) => visible === null || visible.includes(department.id)
    )
    return view.render('pages/register/departments/index', { tree })
  }

  /** A department and its members; other departments are refused (403). */
  async show({ params, view, bouncer }: HttpContext) {
    const department = await Department.findOrFail(params.id)
    await bouncer.with(DepartmentPolicy).authorize('view', department)
    await department.load('parent')
    await department.load('children')
    const members = await User.query().where('departmentId', department.id).orderBy('fullName')
    await AuditLogger.record({ action: 'department.view', subject: department })
    return view.render('pages/register/departments/show', { department, members })
  }
}
